// Quality inspection's pure logic: the scorecard editor's sums and checks, a review's answers
// and the score they will give (the server's rule, shown live), and the report's chart.
import type { QualityReport, ReviewAnswer, ScorecardInput, ScorecardItem, ScorecardSection } from '../api/types';
import type { ChartOptions } from '../components/Chart';

export const TOTAL_WEIGHT = 100;

export function blankItem(): ScorecardItem {
  return { label: '', description: '', weight: 10, scale: 'yes_no', max_points: 1, critical: false, comment_on_low: false };
}

export function blankSection(): ScorecardSection {
  return { name: '', items: [blankItem()] };
}

export function blankCard(): ScorecardInput {
  return { name: '', sections: [blankSection()] };
}

/** The sum of every item's weight (the server refuses a card unless it is 100). */
export function totalWeight(card: ScorecardInput): number {
  return card.sections.reduce((sum, s) => sum + s.items.reduce((n, i) => n + (Number(i.weight) || 0), 0), 0);
}

/** Full marks of an item. */
export function maxPoints(item: ScorecardItem): number {
  return item.scale === 'yes_no' ? 1 : item.max_points ?? 1;
}

/** Every item in the answers' order, with its section's name. */
export function flatItems(sections: ScorecardSection[]): { section: string; item: ScorecardItem }[] {
  return sections.flatMap((s) => s.items.map((item) => ({ section: s.name, item })));
}

/** Whether `points` is a low score (at most half the full marks; yes/no: no). */
export function isLow(item: ScorecardItem, points: number): boolean {
  return points * 2 <= maxPoints(item);
}

/**
 * The score the server will give, in percent with two decimals, or null while an item is
 * unscored; a critical item at 0 makes it 0.
 */
export function previewScore(sections: ScorecardSection[], answers: ReviewAnswer[]): { score: number; failedCritical: boolean } | null {
  const items = flatItems(sections);
  if (answers.length !== items.length || answers.some((a) => a.points == null)) return null;
  let sum = 0;
  let failedCritical = false;
  items.forEach(({ item }, i) => {
    const p = answers[i].points ?? 0;
    if (item.critical && p === 0) failedCritical = true;
    sum += (item.weight * p) / maxPoints(item);
  });
  if (failedCritical) return { score: 0, failedCritical };
  return { score: Math.round(sum * 100) / 100, failedCritical };
}

/** What still blocks a submit: the first unscored item or unexplained low score (its index and why). */
export function submitProblem(sections: ScorecardSection[], answers: ReviewAnswer[]): { index: number; why: 'unscored' | 'comment' } | null {
  const items = flatItems(sections);
  for (let i = 0; i < items.length; i++) {
    const a = answers[i];
    if (!a || a.points == null) return { index: i, why: 'unscored' };
    if (items[i].item.comment_on_low && isLow(items[i].item, a.points) && !(a.comment ?? '').trim()) return { index: i, why: 'comment' };
  }
  return null;
}

/** A query string of the set values only. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  return q.toString();
}

/** The report as a line chart: one series per row (agent, queue or item), the average per period. */
export function reportChart(report: QualityReport, averageLabel: string): ChartOptions {
  return {
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', top: 0 },
    grid: { left: 48, right: 16, top: 40, bottom: 32 },
    xAxis: { type: 'category', data: report.periods },
    yAxis: { type: 'value', min: 0, max: 100, name: averageLabel },
    series: report.rows.map((row) => ({
      type: 'line',
      name: row.label || row.key,
      connectNulls: true,
      data: report.periods.map((p) => row.points.find((pt) => pt.period === p)?.average ?? null),
    })),
  };
}
