import { describe, expect, it } from 'vitest';
import type { CallerLocation, PastContact } from '../api/types';
import { callNoticeBody, ivrVariables, locationText, pastRows, releaseNoticeKey } from './caller';

const shenzhen: CallerLocation = {
  country: 'CN',
  zh: { country: '中国', region: '广东省', city: '深圳市' },
  en: { country: 'China', region: 'Guangdong', city: 'Shenzhen' },
};
const beijing: CallerLocation = {
  country: 'CN',
  zh: { country: '中国', region: '北京市', city: null },
  en: { country: 'China', region: 'Beijing', city: null },
};
const newYork: CallerLocation = {
  country: 'US',
  zh: { country: '美国', region: null, city: null },
  en: { country: 'United States', region: 'NY', city: 'New York' },
};
const jamaica: CallerLocation = {
  country: 'JM',
  zh: { country: '牙买加', region: null, city: null },
  en: { country: 'Jamaica', region: 'Jamaica', city: null },
};

describe('the number location', () => {
  it('names region and city of Chinese numbers in either language', () => {
    expect(locationText(shenzhen, 'zh-CN')).toBe('广东省 深圳市');
    expect(locationText(shenzhen, 'en')).toBe('Shenzhen, Guangdong');
    expect(locationText(beijing, 'zh-CN')).toBe('北京市');
    expect(locationText(beijing, 'en')).toBe('Beijing');
  });

  it('names the country of numbers abroad, and the area where the data has it in that language', () => {
    expect(locationText(newYork, 'zh-CN')).toBe('美国');
    expect(locationText(newYork, 'en')).toBe('New York, NY, United States');
    expect(locationText(jamaica, 'en')).toBe('Jamaica');
    expect(locationText(null, 'en')).toBeNull();
  });
});

describe('the screen pop', () => {
  it('lists IVR variables by name', () => {
    expect(ivrVariables({ order: '2026', account: '42' })).toEqual([
      { name: 'account', value: '42' },
      { name: 'order', value: '2026' },
    ]);
    expect(ivrVariables(null)).toEqual([]);
  });

  it('makes rows of earlier contacts; a call opens its record', () => {
    const past: PastContact = {
      id: 'c1', channel: 'voice', created_at: '2026-12-04T10:00:00Z', closed_at: null, queue_id: 'q', queue_name: '售前咨询',
      agent_id: 'a', agent_name: '小红', outcome: 'completed', summary: ' 查询订单 ', disposition: 'resolved',
      disposition_label: '已解决', call_id: 'call-1',
    };
    const [row] = pastRows([past]);
    expect(row).toMatchObject({ what: '查询订单', disposition: '已解决', href: '/calls?open=call-1', outcome: 'outcome.completed', queue: '售前咨询' });
    const [chat] = pastRows([{ ...past, channel: 'chat', call_id: null, summary: null, agent_name: null, disposition_label: null, disposition: null }]);
    expect(chat).toMatchObject({ what: null, href: null, agent: '—', disposition: null });
  });

  it('says who calls and from where in the notification', () => {
    expect(callNoticeBody({ number: '+8613800138000', location: beijing, name: '王小明' }, 'zh-CN')).toBe('王小明 · +8613800138000 · 北京市');
    expect(callNoticeBody({ number: '+12125550123', location: newYork, name: null }, 'en')).toBe('+12125550123 · New York, NY, United States');
  });

  it('tells released (the customer hung up) from ended calls', () => {
    expect(releaseNoticeKey('voice', 'customer')).toBe('wb.call.released');
    expect(releaseNoticeKey('voice', 'system')).toBe('wb.call.ended');
    expect(releaseNoticeKey('voice', 'agent')).toBe('wb.call.ended');
    expect(releaseNoticeKey('chat', 'customer')).toBe('wb.contact.releasedByCustomer');
    expect(releaseNoticeKey('task', 'system')).toBe('wb.contact.releasedBySystem');
    expect(releaseNoticeKey('chat', 'agent')).toBeNull();
  });
});
