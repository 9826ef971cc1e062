// Call records (V13): the list's query, durations, the quality scale, the recording's URL, the
// satisfaction survey and the hand-overs in words.
// Pure, unit-tested; the page renders what these say.
import type { CallHandoff, CallRecord } from '../api/types';
import type { TFunc } from '../i18n';

export interface CallFilters {
  number?: string;
  /** RFC 3339 times. */
  from?: string;
  to?: string;
  agentId?: string;
  queueId?: string;
}

/** The query string of `GET /calls` (and its export) for these filters, a page cursor and extras. */
export function callQuery(f: CallFilters, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  const put = (k: string, v?: string) => {
    const s = v?.trim();
    if (s) params.set(k, s);
  };
  put('number', f.number);
  put('from', f.from);
  put('to', f.to);
  put('agent_id', f.agentId);
  put('queue_id', f.queueId);
  for (const [k, v] of Object.entries(extra)) put(k, v);
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** `m:ss`, or `h:mm:ss` from an hour; `—` when unknown. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms) || ms < 0) return '—';
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export type MosLevel = 'good' | 'fair' | 'poor' | 'unknown';

/** How a MOS reads (ITU-T G.107's user satisfaction): ≥ 4.0 good, ≥ 3.6 fair, below poor. */
export function mosLevel(mos: number | null | undefined): MosLevel {
  if (mos == null || !Number.isFinite(mos)) return 'unknown';
  if (mos >= 4.0) return 'good';
  if (mos >= 3.6) return 'fair';
  return 'poor';
}

export const MOS_COLOR: Record<MosLevel, string> = { good: 'green', fair: 'gold', poor: 'red', unknown: 'default' };

/** Where an `<audio>` element plays a call's recording: it sends no headers, so the token rides in the query. */
export function recordingUrl(id: string, token: string | null): string {
  const base = `/api/v1/calls/${encodeURIComponent(id)}/recording`;
  return token ? `${base}?token=${encodeURIComponent(token)}` : base;
}

/** The customer's side of a call: who called in, or whom an agent dialled. */
export function customerNumber(c: Pick<CallRecord, 'direction' | 'caller' | 'dialled'>): string {
  return c.direction === 'outbound' ? c.dialled : c.caller;
}

/** A local date-time for the table: `YYYY-MM-DD HH:mm:ss`; `—` when missing. */
export function localTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Only the time of day, `HH:mm:ss` (a leg's times, under its call's date); `—` when missing. */
export function clockTime(iso: string | null | undefined): string {
  const full = localTime(iso);
  return full === '—' ? full : full.slice(11);
}

/** The satisfaction survey of a call as the list and the detail show it: `4/5`, "not rated", or blank without a survey. */
export function surveyText(c: Pick<CallRecord, 'survey' | 'survey_score'>, t: TFunc): string {
  if (c.survey === 'rated' && c.survey_score != null) return t('calls.survey.score', { score: c.survey_score });
  if (c.survey === 'not_rated') return t('calls.survey.notRated');
  return '';
}

/**
 * One hand-over in words: "盲转 小红 → 售前咨询" / "Attended: Xiaohong → Zhang Wei", and those out of
 * the center: "转外线 小红 → +8610…", "转语音导航 小红 → 主菜单", "转满意度评价（小红）".
 */
export function handoffText(h: CallHandoff, t: TFunc): string {
  const unknown = t('calls.handoff.unknown');
  const from = h.from_agent_name ?? unknown;
  if (h.kind === 'external') return t('calls.handoff.external', { from, to: h.to_target ?? unknown });
  if (h.kind === 'ivr') {
    if (h.to_target === SURVEY_TARGET) return t('calls.handoff.survey', { from });
    return t('calls.handoff.ivr', { from, to: h.to_target ?? unknown });
  }
  // A blind transfer names the queue it went to, or the agent; an attended one the agent.
  const to = (h.kind === 'attended' ? (h.to_agent_name ?? h.to_queue_name) : (h.to_queue_name ?? h.to_agent_name)) ?? unknown;
  return t(h.kind === 'attended' ? 'calls.handoff.attended' : 'calls.handoff.blind', { from, to });
}

/** An `ivr` hand-over's target when the customer went to the satisfaction survey. */
export const SURVEY_TARGET = 'survey';

/** The kind of a hand-over as the detail marks it (`survey` apart from the other IVR ones). */
export function handoffKind(h: Pick<CallHandoff, 'kind' | 'to_target'>): string {
  return h.kind === 'ivr' && h.to_target === SURVEY_TARGET ? 'survey' : h.kind;
}
