// The day strip's layout and the life steps' words.
import { describe, expect, it } from 'vitest';
import type { AgentTimeline, LifeStep } from '../api/types';
import { layoutDay, stepColor, stepWords, timeInStates } from './model';

const day: AgentTimeline = {
  agent_id: 'a1',
  date: '2026-12-05',
  day_start: '2026-12-04T16:00:00Z',
  day_end: '2026-12-05T04:00:00Z',
  spans: [
    { state: 'idle', reason: null, from: '2026-12-04T16:00:00Z', to: '2026-12-04T22:00:00Z' },
    { state: 'rest', reason: 'lunch', from: '2026-12-04T22:00:00Z', to: '2026-12-04T22:30:00Z' },
    { state: 'idle', reason: null, from: '2026-12-04T15:00:00Z', to: '2026-12-04T16:00:00Z' },
  ],
  contacts: [{ contact_id: 'c1', from: '2026-12-04T23:00:00Z', wrap_up_from: '2026-12-04T23:45:00Z', to: '2026-12-05T00:00:00Z' }],
};

describe('the day strip', () => {
  it('places states and contacts in percent of the whole day', () => {
    const s = layoutDay(day, 0);
    expect(s.states).toHaveLength(2);
    expect(s.states[0]).toMatchObject({ left: 0, width: 25, state: 'idle' });
    expect(s.states[1]).toMatchObject({ state: 'rest', reason: 'lunch' });
    expect(s.states[1].left).toBeCloseTo(25);
    expect(s.states[1].width).toBeCloseTo(100 / 48);
    expect(s.contacts[0]).toMatchObject({ contactId: 'c1', wrapAt: 75 });
    expect(s.contacts[0].left).toBeCloseTo((7 / 24) * 100);
    expect(s.hours.map((h) => h.hour)).toEqual([0, 3, 6, 9, 12, 15, 18, 21]);
  });
  it('sums the time in each state', () => {
    expect(timeInStates(day)).toEqual({ idle: 7 * 3_600_000, rest: 1_800_000 });
  });
});

describe('life steps', () => {
  const step = (kind: string, detail: Record<string, unknown> = {}): LifeStep => ({ at: '2026-12-05T01:00:00Z', kind, agent_id: null, agent_name: null, detail });
  it('names the steps and their details', () => {
    expect(stepWords(step('contact.queued'))).toEqual({ title: 'life.kind.queued', notes: [] });
    expect(stepWords(step('contact.media', { event: 'held' }))).toEqual({ title: 'life.kind.media', notes: ['life.media.held'] });
    expect(stepWords(step('contact.closed', { outcome: 'abandoned' })).notes).toEqual(['outcome.abandoned']);
    expect(stepWords(step('contact.wrap_up', { released_by: 'customer' })).notes).toEqual(['life.releasedBy.customer']);
    expect(stepWords(step('contact.something_new')).title).toBeNull();
    expect(stepWords(step('contact.media', { event: 'unknown' })).notes).toEqual([]);
  });
  it('colours endings and answers', () => {
    expect(stepColor(step('contact.offer_timeout'))).toBe('red');
    expect(stepColor(step('contact.closed', { outcome: 'abandoned' }))).toBe('red');
    expect(stepColor(step('contact.closed', { outcome: 'completed' }))).toBe('gray');
    expect(stepColor(step('contact.connected'))).toBe('green');
  });
});
