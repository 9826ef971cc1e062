import { describe, expect, it } from 'vitest';
import { dispositionLabel, draftOf, draftProblem, pickableCodes, sameDraft, summaryBody } from './summary';

const codes = [
  { code: 'resolved', label: '已解决', retired: false },
  { code: 'spam', label: '骚扰电话', retired: true },
];

describe('the wrap-up summary form', () => {
  it('starts from what is stored and sees changes in any part', () => {
    const d = draftOf({ summary: '查询物流', solution: null, disposition: 'resolved' });
    expect(d).toEqual({ problem: '查询物流', solution: '', disposition: 'resolved' });
    expect(sameDraft(d, { ...d, problem: ' 查询物流 ' })).toBe(true);
    expect(sameDraft(d, { ...d, solution: '告知单号' })).toBe(false);
    expect(sameDraft(d, { ...d, disposition: '' })).toBe(false);
  });

  it('offers codes not retired, and keeps a retired one already picked', () => {
    expect(pickableCodes(codes, '').map((c) => c.code)).toEqual(['resolved']);
    expect(pickableCodes(codes, 'spam').map((c) => c.code)).toEqual(['resolved', 'spam']);
  });

  it('needs the problem, and a disposition when the summary is required and codes exist', () => {
    const d = { problem: '查询物流', solution: '', disposition: '' };
    expect(draftProblem({ ...d, problem: ' ' }, false, codes)).toBe('wb.summary.empty');
    expect(draftProblem(d, false, codes)).toBeNull();
    expect(draftProblem(d, true, codes)).toBe('wb.summary.pickDisposition');
    expect(draftProblem(d, true, [])).toBeNull();
    expect(draftProblem(d, true, [codes[1]])).toBeNull();
    expect(draftProblem({ ...d, disposition: 'resolved' }, true, codes)).toBeNull();
  });

  it('sends the parts that are filled in, and names a code by its label', () => {
    expect(summaryBody({ problem: ' 查询物流 ', solution: '', disposition: '' })).toEqual({ text: '查询物流' });
    expect(summaryBody({ problem: 'a', solution: ' b ', disposition: 'resolved' })).toEqual({ text: 'a', solution: 'b', disposition: 'resolved' });
    expect(dispositionLabel(codes, 'spam')).toBe('骚扰电话');
    expect(dispositionLabel(codes, 'gone')).toBe('gone');
    expect(dispositionLabel(codes, null)).toBeNull();
  });
});
