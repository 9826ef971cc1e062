import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { composeTitle, setTitleAlert, setTitleUnread, titleWithUnread } from './title';

describe('title', () => {
  it('shows the unread total in front', () => {
    expect(titleWithUnread('Switchboard', 0)).toBe('Switchboard');
    expect(titleWithUnread('Switchboard', 3)).toBe('(3) Switchboard');
    expect(titleWithUnread('Switchboard', 120)).toBe('(99+) Switchboard');
  });

  it('puts the alert in place of the title in its "on" half', () => {
    expect(composeTitle('Switchboard', 2, '🔔 文字交谈振铃中', true)).toBe('🔔 文字交谈振铃中');
    expect(composeTitle('Switchboard', 2, '🔔 文字交谈振铃中', false)).toBe('(2) Switchboard');
    expect(composeTitle('Switchboard', 0, null, true)).toBe('Switchboard');
  });

  describe('in a document', () => {
    beforeEach(() => {
      vi.useFakeTimers();
      vi.stubGlobal('document', { title: 'Switchboard' });
    });
    afterEach(() => {
      setTitleAlert(null);
      setTitleUnread(0);
      vi.unstubAllGlobals();
      vi.useRealTimers();
    });

    it('blinks an alert once a second until it is taken away, keeping the unread count', () => {
      setTitleUnread(1);
      expect(document.title).toBe('(1) Switchboard');
      setTitleAlert('🔔 Chat ringing');
      expect(document.title).toBe('🔔 Chat ringing');
      vi.advanceTimersByTime(1000);
      expect(document.title).toBe('(1) Switchboard');
      vi.advanceTimersByTime(1000);
      expect(document.title).toBe('🔔 Chat ringing');
      setTitleAlert(null);
      expect(document.title).toBe('(1) Switchboard');
      vi.advanceTimersByTime(5000);
      expect(document.title).toBe('(1) Switchboard');
    });
  });
});
