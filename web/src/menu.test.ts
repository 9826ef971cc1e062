import { describe, expect, it } from 'vitest';
import { allowedPaths, filterMenu, isGroup, landingPath, MENU, selectedKey } from './menu';

const keys = (perms: string[]) =>
  filterMenu(MENU, perms).flatMap((e) => (isGroup(e) ? [e.key, ...e.children.map((c) => c.key)] : [e.key]));

describe('menu filtering', () => {
  it('an agent sees the workbench, their call records, their quality reviews and API docs only', () => {
    expect(keys(['agent.work', 'agent.reset_queues'])).toEqual(['workbench', 'calls', 'my-quality', 'api-docs']);
  });

  it('call records open to agents (their own) and to recordings.access (all)', () => {
    expect(keys(['recordings.access'])).toEqual(['calls', 'api-docs']);
    expect(keys(['tickets.work'])).not.toContain('calls');
    expect(allowedPaths(['recordings.access'])).toEqual(['/calls']);
    expect(landingPath(['recordings.access'])).toBe('/calls');
    expect(selectedKey('/calls')).toBe('calls');
  });

  it('an admin sees every admin page', () => {
    expect(keys(['users.manage', 'roles.manage', 'queues.manage', 'params.manage', 'documents.manage'])).toEqual([
      'admin', 'users', 'roles', 'queues', 'chat-entries', 'documents', 'canned-replies', 'params', 'customer-fields',
      'voice', 'voice-extensions', 'voice-trunks', 'voice-numbers', 'voice-number-groups', 'voice-outbound-rules', 'voice-queues', 'voice-flows', 'voice-prompts', 'api-docs',
    ]);
  });

  it('a partial admin sees only the permitted children', () => {
    expect(keys(['queues.manage'])).toEqual(['admin', 'queues', 'chat-entries', 'voice', 'voice-numbers', 'voice-number-groups', 'voice-queues', 'voice-flows', 'voice-prompts', 'api-docs']);
  });

  it('documents.manage opens the document library and the team canned replies', () => {
    expect(keys(['agent.work', 'documents.manage'])).toEqual(['workbench', 'calls', 'my-quality', 'admin', 'documents', 'canned-replies', 'api-docs']);
    expect(allowedPaths(['documents.manage'])).toEqual(['/admin/documents', '/admin/canned-replies']);
  });

  it('integrations.manage opens the webhooks page', () => {
    expect(keys(['integrations.manage'])).toEqual(['integrations', 'webhooks', 'api-docs']);
    expect(allowedPaths(['integrations.manage'])).toEqual(['/admin/integrations/webhooks']);
    expect(selectedKey('/admin/integrations/webhooks')).toBe('webhooks');
  });

  it('the wallboard needs supervisor.monitor', () => {
    expect(keys(['supervisor.monitor'])).toEqual(['supervisor', 'api-docs']);
    expect(keys(['agent.work', 'supervisor.monitor'])).toEqual(['workbench', 'calls', 'my-quality', 'supervisor', 'api-docs']);
  });

  it('the ticket center needs tickets.work and sits after the workbench', () => {
    expect(keys(['agent.work', 'tickets.work'])).toEqual(['workbench', 'tickets', 'calls', 'my-quality', 'api-docs']);
    expect(keys(['tickets.work', 'tickets.view_all', 'supervisor.monitor'])).toEqual(['tickets', 'supervisor', 'ticket-stats', 'api-docs']);
    expect(allowedPaths(['tickets.work'])).toEqual(['/tickets']);
    expect(landingPath(['tickets.work'])).toBe('/tickets');
    expect(landingPath(['agent.work', 'tickets.work'])).toBe('/workbench');
    expect(selectedKey('/tickets')).toBe('tickets');
    expect(selectedKey('/tickets/4f6b2c1e')).toBe('tickets');
  });

  it('ticket setup is its own group after the admin console and needs tickets.manage', () => {
    expect(keys(['users.manage', 'tickets.manage'])).toEqual([
      'admin', 'users', 'voice', 'voice-extensions', 'ticket-setup', 'ticket-types', 'ticket-templates', 'ticket-categories', 'api-docs',
    ]);
    expect(keys(['tickets.work'])).not.toContain('ticket-setup');
    expect(allowedPaths(['tickets.manage'])).toEqual(['/admin/ticket-types', '/admin/ticket-templates', '/admin/ticket-categories']);
    expect(landingPath(['tickets.manage'])).toBe('/admin/ticket-types');
    expect(selectedKey('/admin/ticket-types')).toBe('ticket-types');
    expect(selectedKey('/admin/ticket-types/01a1fe2c')).toBe('ticket-types');
    expect(selectedKey('/admin/ticket-templates')).toBe('ticket-templates');
    expect(selectedKey('/admin/ticket-categories')).toBe('ticket-categories');
  });

  it('the ticket management view sits after the wallboard and needs tickets.view_all', () => {
    expect(keys(['tickets.view_all'])).toEqual(['ticket-stats', 'api-docs']);
    expect(keys(['supervisor.monitor'])).not.toContain('ticket-stats');
    expect(selectedKey('/supervisor/tickets')).toBe('ticket-stats');
    expect(selectedKey('/supervisor')).toBe('supervisor');
  });

  it('drops an empty group', () => {
    expect(keys([])).toEqual(['api-docs']);
  });

  it('does not mutate the menu definition', () => {
    filterMenu(MENU, []);
    const admin = MENU.find((e) => e.key === 'admin');
    expect(admin && isGroup(admin) && admin.children.length).toBe(8);
  });

  it('voice is its own group after the admin console, each page with its permission', () => {
    expect(keys(['users.manage'])).toEqual(['admin', 'users', 'voice', 'voice-extensions', 'api-docs']);
    expect(keys(['agent.work'])).not.toContain('voice');
    expect(allowedPaths(['users.manage', 'params.manage', 'queues.manage']).filter((p) => p.startsWith('/admin/voice'))).toEqual([
      '/admin/voice/extensions', '/admin/voice/trunks', '/admin/voice/numbers', '/admin/voice/number-groups', '/admin/voice/outbound-rules', '/admin/voice/queues', '/admin/voice/flows', '/admin/voice/prompts',
    ]);
    expect(selectedKey('/admin/voice/numbers')).toBe('voice-numbers');
    expect(selectedKey('/admin/voice/number-groups')).toBe('voice-number-groups');
    expect(selectedKey('/admin/voice/flows/new')).toBe('voice-flows');
  });

  it('lists allowed SPA paths without external links', () => {
    expect(allowedPaths(['agent.work', 'params.manage'])).toEqual(['/workbench', '/calls', '/my-quality', '/admin/params', '/admin/customer-fields', '/admin/voice/trunks', '/admin/voice/outbound-rules']);
  });
});

describe('quality inspection in the menu', () => {
  it('reviewers see reviews and the report, admins the scorecards too', () => {
    expect(keys(['quality.review'])).toEqual(['quality', 'quality-reviews', 'quality-report', 'api-docs']);
    expect(keys(['quality.review', 'quality.manage'])).toEqual(['quality', 'quality-reviews', 'quality-report', 'scorecards', 'api-docs']);
    expect(selectedKey('/quality/reviews/0190')).toBe('quality-reviews');
    expect(selectedKey('/quality/report')).toBe('quality-report');
  });
});

describe('landing page', () => {
  it('admins land on users, agents on the workbench', () => {
    expect(landingPath(['users.manage', 'agent.work'])).toBe('/admin/users');
    expect(landingPath(['agent.work'])).toBe('/workbench');
    expect(landingPath(['queues.manage'])).toBe('/admin/queues');
    expect(landingPath(['supervisor.monitor'])).toBe('/supervisor');
    expect(landingPath(['documents.manage'])).toBe('/admin/documents');
    expect(landingPath([])).toBe('/no-access');
  });

  it('highlights the current menu item', () => {
    expect(selectedKey('/admin/queues')).toBe('queues');
    expect(selectedKey('/admin/chat-entries')).toBe('chat-entries');
    expect(selectedKey('/admin/documents')).toBe('documents');
    expect(selectedKey('/admin/canned-replies')).toBe('canned-replies');
    expect(selectedKey('/workbench')).toBe('workbench');
    expect(selectedKey('/supervisor')).toBe('supervisor');
    expect(selectedKey('/nowhere')).toBeUndefined();
  });
});
