// Consulting a colleague or an outside number on my connected call (V6: consult, three-way,
// attended transfer) as pure functions. The contact (`ContactOut`) does not say whether I am consulting, so the card keeps
// the consult's phase itself, from the answers of the consult API and the `contact.media` events
// of the call: idle → ringing (consult_started) → consulting (consult_answered) → conference
// (conference_started); consult_ended brings it back to idle from anywhere.
import type { ColleagueStatus, ConsultRequest, LiveEvent } from '../api/types';
import type { MessageKey, TFunc } from '../i18n';

export type ConsultPhase = 'idle' | 'ringing' | 'consulting' | 'conference';

/**
 * Whom I consult: a colleague by name, a queue (the server picks its longest-idle agent), or an
 * outside number through the trunk of one of my caller numbers (its `id` and `name` are the number).
 */
export interface ConsultTarget {
  kind: 'agent' | 'queue' | 'number';
  id: string;
  name: string;
}

/** The consult request's body for a target (an outside number with the caller number presented). */
export function consultBody(target: ConsultTarget, callerNumber?: string | null): ConsultRequest {
  if (target.kind === 'agent') return { agent_id: target.id };
  if (target.kind === 'queue') return { queue_id: target.id };
  return callerNumber ? { number: target.id, caller_number: callerNumber } : { number: target.id };
}

export interface ConsultState {
  phase: ConsultPhase;
  target: ConsultTarget | null;
  /** A `POST /consult` is on its way. */
  requesting: boolean;
  /** The consult ended (an event) while the request was on its way: its answer must not revive it. */
  endedMeanwhile: boolean;
}

export const CONSULT_IDLE: ConsultState = { phase: 'idle', target: null, requesting: false, endedMeanwhile: false };

/** The `contact.media` events about a consult (the others are hold and supervisor monitoring). */
export const CONSULT_EVENTS = ['consult_started', 'consult_answered', 'conference_started', 'consult_ended'] as const;
export type ConsultEvent = (typeof CONSULT_EVENTS)[number];

export type ConsultAction =
  /** `POST /consult` sent. */
  | { type: 'request' }
  /** …and accepted: the colleague's phone rings. */
  | { type: 'started'; target: ConsultTarget }
  /** …or refused with this code. */
  | { type: 'refused'; code: string }
  /** A `contact.media` consult event of this call. */
  | { type: 'event'; event: ConsultEvent }
  /** `/consult/join` accepted. */
  | { type: 'joined' }
  /** `/consult/end` accepted, or `/consult/complete` (the call has left me). */
  | { type: 'ended' }
  /** A call-control refusal from another request (hold, join, end…). */
  | { type: 'conflict'; code: string; action: 'hold' | 'join' | 'end' | 'complete' };

const ORDER: Record<ConsultPhase, number> = { idle: 0, ringing: 1, consulting: 2, conference: 3 };

/** The later of two phases: an answer arriving after a later event must not take the card back. */
function atLeast(current: ConsultPhase, next: ConsultPhase): ConsultPhase {
  return ORDER[next] > ORDER[current] ? next : current;
}

export function consultReducer(s: ConsultState, a: ConsultAction): ConsultState {
  switch (a.type) {
    case 'request':
      return { ...s, requesting: true, endedMeanwhile: false };
    case 'started':
      if (s.endedMeanwhile) return { ...CONSULT_IDLE };
      return { phase: atLeast(s.phase, 'ringing'), target: a.target, requesting: false, endedMeanwhile: false };
    case 'refused':
      // "Already consulting": the page lost track (e.g. reloaded mid-consult); show the
      // consult's buttons so that it can be ended or completed, whoever it is with.
      if (a.code === 'consulting') return { ...s, phase: atLeast(s.phase, 'consulting'), requesting: false };
      return { ...s, requesting: false };
    case 'event':
      switch (a.event) {
        case 'consult_started':
          return { ...s, phase: atLeast(s.phase, 'ringing') };
        case 'consult_answered':
          return { ...s, phase: s.phase === 'conference' ? 'conference' : 'consulting' };
        case 'conference_started':
          return { ...s, phase: 'conference' };
        case 'consult_ended':
          return { ...CONSULT_IDLE, requesting: s.requesting, endedMeanwhile: s.requesting };
      }
      return s;
    case 'joined':
      return { ...s, phase: 'conference' };
    case 'ended':
      return { ...CONSULT_IDLE };
    case 'conflict':
      if (a.code === 'consulting') return { ...s, phase: atLeast(s.phase, 'consulting') };
      // Nothing to end or complete: the consult is over (its event may have been missed).
      if (a.code === 'not_consulting' && (a.action === 'end' || a.action === 'complete')) return { ...CONSULT_IDLE };
      return s;
  }
}

/** The consult event a live event carries for `contactId`, or null. */
export function consultEventOf(e: LiveEvent, contactId: string): ConsultEvent | null {
  if (e.type !== 'contact.media' || e.contact_id !== contactId) return null;
  return (CONSULT_EVENTS as readonly unknown[]).includes(e.event) ? (e.event as ConsultEvent) : null;
}

/** What the card offers in each phase. */
export interface ConsultButtons {
  /** Hold, resume, transfer and a new consult: only while not consulting (the server answers `consulting`). */
  callButtons: boolean;
  /** Three-way: once the colleague has answered. */
  join: boolean;
  /** Attended transfer: once the colleague has answered. */
  complete: boolean;
  /** Drop the colleague / cancel the ringing. */
  end: boolean;
}

export function consultButtons(phase: ConsultPhase): ConsultButtons {
  return {
    callButtons: phase === 'idle',
    join: phase === 'consulting',
    complete: phase === 'consulting' || phase === 'conference',
    end: phase !== 'idle',
  };
}

/** The label of the "end" button: cancel the ringing, back to the customer, or drop the colleague (or the outside number). */
export function consultEndLabel(phase: ConsultPhase, kind: ConsultTarget['kind'] = 'agent'): MessageKey {
  if (phase === 'ringing') return 'wb.call.consult.cancel';
  if (phase === 'conference') return kind === 'number' ? 'wb.call.consult.dropNumber' : 'wb.call.consult.drop';
  return 'wb.call.consult.back';
}

/** Why three-way is not offered yet: the colleague, or the outside number, has to answer first. */
export function consultJoinHint(kind: ConsultTarget['kind'] = 'agent'): MessageKey {
  return kind === 'number' ? 'wb.call.consult.joinHintNumber' : 'wb.call.consult.joinHint';
}

/** The state line ("calling Zhang Wei…") as a key and its name, or null when idle. */
export function consultStateText(s: Pick<ConsultState, 'phase' | 'target'>): { key: MessageKey; target: ConsultTarget | null } | null {
  if (s.phase === 'idle') return null;
  const key: Record<Exclude<ConsultPhase, 'idle'>, MessageKey> = {
    ringing: 'wb.call.consult.ringing',
    consulting: 'wb.call.consult.consulting',
    conference: 'wb.call.consult.conference',
  };
  return { key: key[s.phase], target: s.target };
}

/** A colleague in the consult dialog: everyone signed in is listed, only the free may be called. */
export interface ConsultColleague {
  id: string;
  name: string;
  state: ColleagueStatus['state'];
  disabled: boolean;
}

/** Colleagues to consult, free ones first then by name (the server refuses anyone not free). */
export function consultColleagues(list: readonly ColleagueStatus[]): ConsultColleague[] {
  return list
    .filter((c) => c.state !== 'signed_out')
    .sort((a, b) => Number(b.free) - Number(a.free) || a.display_name.localeCompare(b.display_name))
    .map((c) => ({ id: c.id, name: c.display_name, state: c.state, disabled: !c.free }));
}

/** How the state line names whom I consult: a colleague's name, a queue's agent, or the outside number itself. */
export function consultTargetName(target: ConsultTarget | null, t: TFunc): string {
  if (!target) return t('wb.call.consult.someone');
  if (target.kind === 'number') return t('wb.call.consult.outside', { number: target.name });
  return target.kind === 'queue' ? t('wb.call.consult.queueAgent', { queue: target.name }) : target.name;
}
