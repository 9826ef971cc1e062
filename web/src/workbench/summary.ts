// The wrap-up summary (服务小计, V11) as a form: problem, solution and a disposition code picked
// from the tenant's list. Pure: what the draft is, whether it changed, what may be saved, and
// which codes the pick offers.
import type { Contact, DispositionCode } from '../api/types';
import type { MessageKey } from '../i18n';

export const SUMMARY_MAX = 4000;

export interface SummaryDraft {
  problem: string;
  solution: string;
  /** A code, or '' for none picked. */
  disposition: string;
}

export function draftOf(c: Pick<Contact, 'summary' | 'solution' | 'disposition'>): SummaryDraft {
  return { problem: c.summary ?? '', solution: c.solution ?? '', disposition: c.disposition ?? '' };
}

export function sameDraft(a: SummaryDraft, b: SummaryDraft): boolean {
  return a.problem.trim() === b.problem.trim() && a.solution.trim() === b.solution.trim() && a.disposition === b.disposition;
}

/** The codes a pick offers: those not retired, and the one already picked even if retired since. */
export function pickableCodes(codes: readonly DispositionCode[], picked: string): DispositionCode[] {
  return codes.filter((c) => !c.retired || c.code === picked);
}

/**
 * Why this draft cannot be saved yet (a translation key), or null: the problem must be written;
 * the disposition must be picked when the tenant requires a summary and offers codes.
 */
export function draftProblem(d: SummaryDraft, required: boolean, codes: readonly DispositionCode[]): MessageKey | null {
  if (!d.problem.trim()) return 'wb.summary.empty';
  if (required && !d.disposition && codes.some((c) => !c.retired)) return 'wb.summary.pickDisposition';
  return null;
}

/** The body of `PUT /contacts/{id}/summary`. */
export function summaryBody(d: SummaryDraft): { text: string; solution?: string; disposition?: string } {
  const solution = d.solution.trim();
  return {
    text: d.problem.trim(),
    ...(solution ? { solution } : {}),
    ...(d.disposition ? { disposition: d.disposition } : {}),
  };
}

/** A disposition's label among the codes, else the code itself. */
export function dispositionLabel(codes: readonly DispositionCode[], code: string | null | undefined): string | null {
  if (!code) return null;
  return codes.find((c) => c.code === code)?.label ?? code;
}
