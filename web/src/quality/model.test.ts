// Tests of the scorecard sums, the live score and the report's chart.
import { describe, expect, it } from 'vitest';
import type { QualityReport, ScorecardSection } from '../api/types';
import { blankCard, isLow, previewScore, query, reportChart, submitProblem, totalWeight } from './model';

const sections: ScorecardSection[] = [
  { name: '服务态度', items: [{ label: '礼貌用语', description: '', weight: 60, scale: 'points', max_points: 5, critical: false, comment_on_low: true }] },
  { name: '合规', items: [{ label: '身份核实', description: '', weight: 40, scale: 'yes_no', max_points: 1, critical: true, comment_on_low: false }] },
];

describe('quality model', () => {
  it('adds the weights up', () => {
    expect(totalWeight({ name: 'x', sections })).toBe(100);
    expect(totalWeight(blankCard())).toBe(10);
  });

  it('previews the weighted score and the critical failure', () => {
    expect(previewScore(sections, [{ points: 2, comment: '' }, { points: 1, comment: '' }])).toEqual({ score: 64, failedCritical: false });
    expect(previewScore(sections, [{ points: 5, comment: '' }, { points: 0, comment: '' }])).toEqual({ score: 0, failedCritical: true });
    expect(previewScore(sections, [{ points: 5, comment: '' }, { points: null, comment: '' }])).toBeNull();
  });

  it('says what blocks a submit', () => {
    expect(submitProblem(sections, [{ points: null, comment: '' }, { points: 1, comment: '' }])).toEqual({ index: 0, why: 'unscored' });
    expect(submitProblem(sections, [{ points: 2, comment: ' ' }, { points: 1, comment: '' }])).toEqual({ index: 0, why: 'comment' });
    expect(submitProblem(sections, [{ points: 2, comment: '语气' }, { points: 1, comment: '' }])).toBeNull();
    expect(isLow(sections[0].items[0], 3)).toBe(false);
  });

  it('builds a query of the set values', () => {
    expect(query({ from: '2026-12-01', to: '', agent_id: undefined, unreviewed: true })).toBe('from=2026-12-01&unreviewed=true');
  });

  it('draws one line per row over every period', () => {
    const report: QualityReport = {
      period: 'week',
      by: 'agent',
      periods: ['2026-11-23', '2026-11-30'],
      rows: [{ key: 'a', label: '小红', total: { period: '', count: 2, average: 80, failed: 0 }, points: [{ period: '2026-11-30', count: 2, average: 80, failed: 0 }] }],
    };
    const chart = reportChart(report, '%') as { series: { name: string; data: (number | null)[] }[] };
    expect(chart.series).toHaveLength(1);
    expect(chart.series[0]).toMatchObject({ name: '小红', data: [null, 80] });
  });
});
