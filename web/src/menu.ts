// Side menu definition and permission filtering (pure, unit-tested).
import type { MessageKey } from './i18n';

export interface MenuLeaf {
  key: string;
  labelKey: MessageKey;
  /** Route path inside the SPA, or an absolute URL path for `external` items. */
  path: string;
  /** Permission required to see the item; none = every signed-in user. */
  permission?: string;
  /** Alternatively: any one of these permissions. */
  anyPermission?: string[];
  external?: boolean;
}

export interface MenuGroup {
  key: string;
  labelKey: MessageKey;
  children: MenuLeaf[];
}

export type MenuEntry = MenuLeaf | MenuGroup;

export const isGroup = (e: MenuEntry): e is MenuGroup => 'children' in e;

export const MENU: MenuEntry[] = [
  { key: 'workbench', labelKey: 'menu.workbench', path: '/workbench', permission: 'agent.work' },
  { key: 'tickets', labelKey: 'menu.tickets', path: '/tickets', permission: 'tickets.work' },
  // Agents see their own calls, recordings.access every call of the tenant.
  { key: 'customers', labelKey: 'menu.customers', path: '/customers', permission: 'customers.work' },
  { key: 'calls', labelKey: 'menu.calls', path: '/calls', anyPermission: ['agent.work', 'recordings.access'] },
  // An agent's own quality reviews.
  { key: 'my-quality', labelKey: 'menu.myQuality', path: '/my-quality', permission: 'agent.work' },
  { key: 'supervisor', labelKey: 'menu.supervisor', path: '/supervisor', permission: 'supervisor.monitor' },
  { key: 'ticket-stats', labelKey: 'menu.ticketStats', path: '/supervisor/tickets', permission: 'tickets.view_all' },
  { key: 'reports', labelKey: 'menu.reports', path: '/reports', permission: 'reports.view' },
  {
    key: 'admin',
    labelKey: 'menu.admin',
    children: [
      { key: 'users', labelKey: 'menu.users', path: '/admin/users', permission: 'users.manage' },
      { key: 'roles', labelKey: 'menu.roles', path: '/admin/roles', permission: 'roles.manage' },
      { key: 'queues', labelKey: 'menu.queues', path: '/admin/queues', permission: 'queues.manage' },
      { key: 'chat-entries', labelKey: 'menu.chatEntries', path: '/admin/chat-entries', permission: 'queues.manage' },
      { key: 'documents', labelKey: 'menu.documents', path: '/admin/documents', permission: 'documents.manage' },
      { key: 'canned-replies', labelKey: 'menu.cannedReplies', path: '/admin/canned-replies', permission: 'documents.manage' },
      { key: 'params', labelKey: 'menu.params', path: '/admin/params', permission: 'params.manage' },
      { key: 'customer-fields', labelKey: 'menu.customerFields', path: '/admin/customer-fields', permission: 'params.manage' },
    ],
  },
  {
    key: 'voice',
    labelKey: 'menu.voice',
    children: [
      { key: 'voice-extensions', labelKey: 'menu.voiceExtensions', path: '/admin/voice/extensions', permission: 'users.manage' },
      { key: 'voice-trunks', labelKey: 'menu.voiceTrunks', path: '/admin/voice/trunks', permission: 'params.manage' },
      { key: 'voice-numbers', labelKey: 'menu.voiceNumbers', path: '/admin/voice/numbers', permission: 'queues.manage' },
      { key: 'voice-number-groups', labelKey: 'menu.voiceNumberGroups', path: '/admin/voice/number-groups', permission: 'queues.manage' },
      { key: 'voice-outbound-rules', labelKey: 'menu.voiceOutboundRules', path: '/admin/voice/outbound-rules', permission: 'params.manage' },
      { key: 'voice-queues', labelKey: 'menu.voiceQueues', path: '/admin/voice/queues', permission: 'queues.manage' },
      { key: 'voice-flows', labelKey: 'menu.voiceFlows', path: '/admin/voice/flows', permission: 'queues.manage' },
      { key: 'voice-prompts', labelKey: 'menu.voicePrompts', path: '/admin/voice/prompts', permission: 'queues.manage' },
    ],
  },
  {
    key: 'ticket-setup',
    labelKey: 'menu.ticketSetup',
    children: [
      { key: 'ticket-types', labelKey: 'menu.ticketTypes', path: '/admin/ticket-types', permission: 'tickets.manage' },
      { key: 'ticket-templates', labelKey: 'menu.ticketTemplates', path: '/admin/ticket-templates', permission: 'tickets.manage' },
      { key: 'ticket-categories', labelKey: 'menu.ticketCategories', path: '/admin/ticket-categories', permission: 'tickets.manage' },
    ],
  },
  {
    key: 'quality',
    labelKey: 'menu.quality',
    children: [
      { key: 'quality-reviews', labelKey: 'menu.qualityReviews', path: '/quality', permission: 'quality.review' },
      { key: 'quality-report', labelKey: 'menu.qualityReport', path: '/quality/report', permission: 'quality.review' },
      { key: 'scorecards', labelKey: 'menu.scorecards', path: '/admin/quality/scorecards', permission: 'quality.manage' },
    ],
  },
  {
    key: 'integrations',
    labelKey: 'menu.integrations',
    children: [
      { key: 'webhooks', labelKey: 'menu.webhooks', path: '/admin/integrations/webhooks', permission: 'integrations.manage' },
    ],
  },
  { key: 'api-docs', labelKey: 'menu.apiDocs', path: '/api/docs/', external: true },
];

/** Entries the user may see; groups left with no children are dropped. */
export function filterMenu(entries: MenuEntry[], permissions: readonly string[]): MenuEntry[] {
  const has = (l: MenuLeaf) =>
    (!l.permission || permissions.includes(l.permission)) && (!l.anyPermission || l.anyPermission.some((p) => permissions.includes(p)));
  const out: MenuEntry[] = [];
  for (const e of entries) {
    if (isGroup(e)) {
      const children = e.children.filter(has);
      if (children.length) out.push({ ...e, children });
    } else if (has(e)) {
      out.push(e);
    }
  }
  return out;
}

/** SPA route paths (non-external) the user may open. */
export function allowedPaths(permissions: readonly string[]): string[] {
  return filterMenu(MENU, permissions)
    .flatMap((e) => (isGroup(e) ? e.children : [e]))
    .filter((l) => !l.external)
    .map((l) => l.path);
}

/** Where to go after sign-in: admins to the users page, agents to the workbench, else the first allowed page. */
export function landingPath(permissions: readonly string[]): string {
  if (permissions.includes('users.manage')) return '/admin/users';
  if (permissions.includes('agent.work')) return '/workbench';
  return allowedPaths(permissions)[0] ?? '/no-access';
}

/** The menu key to highlight for a location path (the longest matching path: `/supervisor/tickets` over `/supervisor`). */
export function selectedKey(pathname: string): string | undefined {
  let best: MenuLeaf | undefined;
  for (const e of MENU) {
    for (const l of isGroup(e) ? e.children : [e]) {
      if (!l.external && (pathname === l.path || pathname.startsWith(l.path + '/')) && (!best || l.path.length > best.path.length)) best = l;
    }
  }
  return best?.key;
}
