// Tests of the webhooks page's pure helpers.
import { describe, expect, it } from 'vitest';
import { groupEventTypes, localTime, stateColor, stateKey } from './webhooks';

describe('webhook helpers', () => {
  it('groups event types by prefix in the server order', () => {
    const groups = groupEventTypes(['contact.created', 'agent.state', 'contact.closed', 'ticket.created', 'other.x']);
    expect(groups.map((g) => [g.key, g.types])).toEqual([
      ['contact', ['contact.created', 'contact.closed']],
      ['agent', ['agent.state']],
      ['ticket', ['ticket.created']],
    ]);
    expect(groupEventTypes([])).toEqual([]);
  });

  it('colours and names delivery states', () => {
    expect(stateColor('delivered')).toBe('green');
    expect(stateColor('failed')).toBe('red');
    expect(stateColor('pending')).toBe('gold');
    expect(stateKey('failed')).toBe('webhooks.state.failed');
    expect(stateKey('whatever')).toBe('webhooks.state.pending');
  });

  it('shows instants in local time and nothing for none', () => {
    const at = new Date(2026, 11, 5, 9, 3, 7).toISOString();
    expect(localTime(at)).toBe('2026-12-05 09:03:07');
    expect(localTime(null)).toBe('');
    expect(localTime('not a time')).toBe('');
  });
});
