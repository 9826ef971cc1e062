import { describe, expect, it } from 'vitest';
import { allowedPaths, filterMenu, isGroup, landingPath, MENU, selectedKey } from './menu';

const keys = (perms: string[]) =>
  filterMenu(MENU, perms).flatMap((e) => (isGroup(e) ? [e.key, ...e.children.map((c) => c.key)] : [e.key]));

describe('menu filtering', () => {
  it('an agent sees the workbench and API docs only', () => {
    expect(keys(['agent.work', 'agent.reset_queues'])).toEqual(['workbench', 'api-docs']);
  });

  it('an admin sees every admin page', () => {
    expect(keys(['users.manage', 'roles.manage', 'queues.manage', 'params.manage'])).toEqual([
      'admin', 'users', 'roles', 'queues', 'params', 'api-docs',
    ]);
  });

  it('a partial admin sees only the permitted children', () => {
    expect(keys(['queues.manage'])).toEqual(['admin', 'queues', 'api-docs']);
  });

  it('the wallboard needs supervisor.monitor', () => {
    expect(keys(['supervisor.monitor'])).toEqual(['supervisor', 'api-docs']);
    expect(keys(['agent.work', 'supervisor.monitor'])).toEqual(['workbench', 'supervisor', 'api-docs']);
  });

  it('drops an empty group', () => {
    expect(keys([])).toEqual(['api-docs']);
  });

  it('does not mutate the menu definition', () => {
    filterMenu(MENU, []);
    const admin = MENU.find((e) => e.key === 'admin');
    expect(admin && isGroup(admin) && admin.children.length).toBe(4);
  });

  it('lists allowed SPA paths without external links', () => {
    expect(allowedPaths(['agent.work', 'params.manage'])).toEqual(['/workbench', '/admin/params']);
  });
});

describe('landing page', () => {
  it('admins land on users, agents on the workbench', () => {
    expect(landingPath(['users.manage', 'agent.work'])).toBe('/admin/users');
    expect(landingPath(['agent.work'])).toBe('/workbench');
    expect(landingPath(['queues.manage'])).toBe('/admin/queues');
    expect(landingPath(['supervisor.monitor'])).toBe('/supervisor');
    expect(landingPath([])).toBe('/no-access');
  });

  it('highlights the current menu item', () => {
    expect(selectedKey('/admin/queues')).toBe('queues');
    expect(selectedKey('/workbench')).toBe('workbench');
    expect(selectedKey('/supervisor')).toBe('supervisor');
    expect(selectedKey('/nowhere')).toBeUndefined();
  });
});
