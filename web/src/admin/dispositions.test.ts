import { describe, expect, it } from 'vitest';
import { addCode, canSave, newCodeProblem, removeUnsaved, renameCode, setRetired } from './dispositions';

const saved = [
  { code: 'resolved', label: '已解决', retired: false },
  { code: 'callback', label: '需回访', retired: false },
];

describe('disposition codes', () => {
  it('checks a new code: its form, that it is new, and a label', () => {
    expect(newCodeProblem(saved, 'spam', '骚扰电话')).toBeNull();
    expect(newCodeProblem(saved, '有 空格', 'x')).toBe('disp.badCode');
    expect(newCodeProblem(saved, '', 'x')).toBe('disp.badCode');
    expect(newCodeProblem(saved, 'x'.repeat(33), 'x')).toBe('disp.badCode');
    expect(newCodeProblem(saved, 'resolved', 'again')).toBe('disp.duplicate');
    expect(newCodeProblem(saved, 'spam', '  ')).toBe('disp.badLabel');
  });

  it('adds, renames and retires; only unsaved codes can be dropped', () => {
    const added = addCode(saved, ' spam ', ' 骚扰电话 ');
    expect(added[2]).toEqual({ code: 'spam', label: '骚扰电话', retired: false });
    expect(canSave(added, saved)).toBe(true);
    expect(removeUnsaved(added, saved, 'spam')).toEqual(saved);
    expect(removeUnsaved(added, saved, 'resolved')).toEqual(added);
    const renamed = renameCode(saved, 'resolved', '已解决 Resolved');
    expect(renamed[0].label).toBe('已解决 Resolved');
    expect(canSave(renameCode(saved, 'resolved', ' '), saved)).toBe(false);
    const retired = setRetired(saved, 'callback', true);
    expect(retired[1].retired).toBe(true);
    expect(canSave(retired, saved)).toBe(true);
    expect(canSave(saved, saved)).toBe(false);
  });
});
