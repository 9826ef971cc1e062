// Voice configuration input, checked as the server checks it (api/voice.rs), so a form says what
// is wrong before sending; the server has the last word.
import type { HotlineRoute } from '../../api/types';

/** An agent's extension: 2–10 digits. */
export const isExtensionNumber = (s: string): boolean => /^\d{2,10}$/.test(s.trim());

/** A hotline number: 2–20 digits, optionally after a leading +. */
export const isHotlineNumber = (s: string): boolean => /^\+?\d{2,20}$/.test(s.trim());

/** A SIP password: 8–64 printable ASCII characters without spaces. */
export const isSipPassword = (s: string): boolean => /^[\x21-\x7e]{8,64}$/.test(s);

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** An IPv4 or IPv6 address (no name: the switch does no DNS). */
export function isIpAddress(s: string): boolean {
  const v = s.trim();
  if (IPV4.test(v)) return true;
  if (!v.includes(':') || !/^[0-9a-fA-F:.]+$/.test(v)) return false;
  try {
    return new URL(`http://[${v}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}

/** A trunk's peers as typed: addresses separated by commas, spaces or lines. */
export const splitPeers = (text: string): string[] => text.split(/[\s,;，、]+/).filter(Boolean);

/** A provider's SIP domain or address, as the server takes it. */
export const isProviderHost = (s: string): boolean => /^[A-Za-z0-9.:-]{1,253}$/.test(s.trim());

/** What is wrong with the typed peers, or null: 1–16 addresses, each once (none needed when the
 * trunk registers with its provider, whose calls come from the registrar). */
export function peersProblem(text: string, registers = false): 'empty' | 'tooMany' | { bad: string } | { twice: string } | null {
  const peers = splitPeers(text);
  if (peers.length === 0) return registers ? null : 'empty';
  if (peers.length > 16) return 'tooMany';
  const seen = new Set<string>();
  for (const p of peers) {
    if (!isIpAddress(p)) return { bad: p };
    if (seen.has(p)) return { twice: p };
    seen.add(p);
  }
  return null;
}

/** A direct route's destination: sip:user@IP[:port], the host an address. */
export function isDirectUri(s: string): boolean {
  const m = /^sip:([^@\s]+)@(\[[0-9a-fA-F:.]+\]|[^:\s;?]+)(?::(\d{1,5}))?$/i.exec(s.trim());
  if (!m) return false;
  const host = m[2].startsWith('[') ? m[2].slice(1, -1) : m[2];
  if (m[2].startsWith('[') !== host.includes(':')) return false;
  if (m[3] !== undefined && (Number(m[3]) < 1 || Number(m[3]) > 65535)) return false;
  return isIpAddress(host);
}

export type RouteKind = HotlineRoute['kind'];

/** The number dialog's flat fields (one per route kind, so switching kinds keeps what was typed). */
export interface NumberForm {
  number: string;
  inbound: boolean;
  survey: boolean;
  kind: RouteKind;
  queue_id?: string;
  uri?: string;
  extension?: string;
  /** An IVR flow (set up elsewhere): kept as it is when the number is edited. */
  flow_id?: string;
  /** Agents may present it on outbound calls, which go through `outbound_trunk_id`. */
  outbound: boolean;
  outbound_trunk_id?: string;
}

/** The route the form describes. */
export function routeOf(v: NumberForm): HotlineRoute {
  switch (v.kind) {
    case 'queue':
      return { kind: 'queue', queue_id: v.queue_id ?? '' };
    case 'direct':
      return { kind: 'direct', uri: (v.uri ?? '').trim() };
    case 'extension':
      return { kind: 'extension', number: (v.extension ?? '').trim() };
    case 'flow':
      return { kind: 'flow', flow_id: v.flow_id ?? '' };
  }
}

/** The form's fields for a stored route. */
export function routeFields(r: HotlineRoute): Pick<NumberForm, 'kind' | 'queue_id' | 'uri' | 'extension' | 'flow_id'> {
  switch (r.kind) {
    case 'queue':
      return { kind: 'queue', queue_id: r.queue_id };
    case 'direct':
      return { kind: 'direct', uri: r.uri };
    case 'extension':
      return { kind: 'extension', extension: r.number };
    case 'flow':
      return { kind: 'flow', flow_id: r.flow_id };
  }
}
