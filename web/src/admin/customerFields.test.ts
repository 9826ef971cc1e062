import { describe, expect, it } from 'vitest';
import { defOfForm, dialogFieldOf, formOfDef, withDef, withoutDef } from './customerFields';
import type { CustomerFieldDef } from '../api/types';

const level: CustomerFieldDef = { code: 'level', label: '等级', label_en: 'Level', type: 'option', options: ['金卡', '银卡'] };
const birthday: CustomerFieldDef = { code: 'birthday', label: '生日', type: 'date', options: [] };

describe('customer field definitions', () => {
  it('round-trips a definition through the dialog, options one a line', () => {
    const form = formOfDef(level);
    expect(form.options).toBe('金卡\n银卡');
    expect(defOfForm(form)).toEqual(level);
    expect(formOfDef(null)).toEqual({ code: '', label: '', label_en: '', type: 'text', options: '' });
  });

  it('trims, drops a blank English label, and keeps options for option fields only', () => {
    expect(defOfForm({ code: ' vip_no ', label: ' 会员号 ', label_en: '  ', type: 'text', options: 'a\nb' })).toEqual({
      code: 'vip_no', label: '会员号', type: 'text', options: [],
    });
    expect(defOfForm({ code: 'level', label: '等级', type: 'option', options: ' 金卡 \n\n银卡\n' }).options).toEqual(['金卡', '银卡']);
  });

  it('adds, replaces and removes in the list', () => {
    expect(withDef([level], null, birthday)).toEqual([level, birthday]);
    const renamed = { ...level, label: '会员等级' };
    expect(withDef([level, birthday], 0, renamed)).toEqual([renamed, birthday]);
    expect(withoutDef([level, birthday], 'level')).toEqual([birthday]);
  });

  it("names the dialog's field only for an error about the edited definition", () => {
    expect(dialogFieldOf('fields[2].code', 2)).toBe('code');
    expect(dialogFieldOf('fields[2].options', 2)).toBe('options');
    expect(dialogFieldOf('fields[1].label', 2)).toBeNull();
    expect(dialogFieldOf('fields', 2)).toBeNull();
    expect(dialogFieldOf(undefined, 0)).toBeNull();
  });
});
