import { describe, expect, it } from 'vitest';
import { isPanelMessage, TYPING_INTERVAL_MS } from './useChat';

describe('chat controller helpers', () => {
  it("recognises the widget's panel open/close message only", () => {
    expect(isPanelMessage({ type: 'switchboard:panel', open: false })).toBe(true);
    expect(isPanelMessage({ type: 'switchboard:panel', open: 'no' })).toBe(false);
    expect(isPanelMessage({ type: 'other', open: true })).toBe(false);
    expect(isPanelMessage('switchboard:panel')).toBe(false);
    expect(isPanelMessage(null)).toBe(false);
  });

  it('sends typing at most every 3 s', () => {
    expect(TYPING_INTERVAL_MS).toBe(3000);
  });
});
