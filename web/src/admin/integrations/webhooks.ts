// Pure helpers of the webhooks page: event types grouped for the picker, delivery states'
// colours, and a local time for the log.
import type { MessageKey } from '../../i18n';

export interface EventGroup {
  key: string;
  labelKey: MessageKey;
  types: string[];
}

const GROUPS: { prefix: string; key: string; labelKey: MessageKey }[] = [
  { prefix: 'contact.', key: 'contact', labelKey: 'webhooks.group.contact' },
  { prefix: 'agent.', key: 'agent', labelKey: 'webhooks.group.agent' },
  { prefix: 'ticket.', key: 'ticket', labelKey: 'webhooks.group.ticket' },
];

/** The server's event types by their prefix, in the server's order; unknown prefixes are dropped. */
export function groupEventTypes(types: readonly string[]): EventGroup[] {
  return GROUPS.map((g) => ({ key: g.key, labelKey: g.labelKey, types: types.filter((t) => t.startsWith(g.prefix)) })).filter(
    (g) => g.types.length > 0,
  );
}

/** The antd tag colour of a delivery state. */
export function stateColor(state: string): string {
  switch (state) {
    case 'delivered':
      return 'green';
    case 'failed':
      return 'red';
    default:
      return 'gold';
  }
}

/** The state's i18n key; an unknown state shows as pending. */
export function stateKey(state: string): MessageKey {
  if (state === 'delivered') return 'webhooks.state.delivered';
  if (state === 'failed') return 'webhooks.state.failed';
  return 'webhooks.state.pending';
}

/** An RFC 3339 instant as local `YYYY-MM-DD HH:MM:SS`; empty for none or garbage. */
export function localTime(at: string | null | undefined): string {
  if (!at) return '';
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
