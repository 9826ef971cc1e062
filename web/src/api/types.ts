// Types mirroring docs/api-v1.md (the authoritative contract).

export type SignInMode = 'automatic' | 'specified';

export interface AgentParams {
  sign_in_mode: SignInMode;
  auto_answer: boolean;
}

export interface Me {
  id: string;
  tenant: string;
  login: string;
  real_name: string;
  display_name: string;
  chat_limit: number;
  roles: string[];
  permissions: string[];
  must_change_password: boolean;
  agent_params: AgentParams;
  effective_sign_in_mode: SignInMode;
  /** Served by the server beyond the contract: auto-answer after the tenant/agent rule. */
  effective_auto_answer?: boolean;
}

export interface LoginResponse {
  token: string;
  must_change_password: boolean;
  user: Me;
}

export interface User {
  id: string;
  login: string;
  real_name: string;
  display_name: string;
  chat_limit: number;
  roles: string[];
  active: boolean;
  must_change_password: boolean;
  agent_params: AgentParams;
  created_at: string;
}

export interface NewUser {
  login: string;
  real_name: string;
  display_name: string;
  chat_limit: number;
  roles: string[];
  password: string;
}

export type UserPatch = Partial<
  Pick<User, 'real_name' | 'display_name' | 'chat_limit' | 'roles' | 'active' | 'agent_params'>
>;

export interface ImportRowError {
  row: number;
  column: string;
  message: string;
}

export interface Permission {
  code: string;
  description: string;
}

export interface Role {
  id: string;
  name: string;
  builtin: boolean;
  permissions: string[];
}

export type Channel = 'voice' | 'video' | 'chat' | 'task';
export type Strategy = 'longest_idle' | 'round_robin' | 'least_occupied' | 'skill_level';

export interface QueueAgent {
  user_id: string;
  skill_level: number;
}

export interface Queue {
  id: string;
  name: string;
  channel: Channel;
  strategy: Strategy;
  priority: number;
  max_queue_len: number | null;
  max_wait_s: number | null;
  overflow_queue_id: string | null;
  tags: string[];
  agents: QueueAgent[];
}

export type QueueInput = Omit<Queue, 'id' | 'agents'> & { agents?: QueueAgent[] };

export interface Tag {
  id: string;
  name: string;
}

export type PostSignInState = 'idle' | 'wrap_up' | 'busy';
export type TenantSignInMode = 'agent_configured' | 'unified_automatic' | 'unified_specified';

export interface TenantParams {
  post_sign_in_state: PostSignInState;
  sign_in_mode: TenantSignInMode;
  auto_answer: boolean;
  wrap_up_limit_s: number;
  summary_required: boolean;
  offer_timeout_s: number;
  no_answer_limit: number;
  chat_during_call: boolean;
  task_limit: number;
  familiar_wait_s: number;
  /** Served beyond the contract's list: seconds during which an agent may withdraw a chat message (default 120). */
  recall_limit_s?: number;
  /** IANA name, e.g. Asia/Shanghai. */
  time_zone?: string;
}

export const PERMISSION_CODES = [
  'users.manage',
  'roles.manage',
  'queues.manage',
  'params.manage',
  'agent.work',
  'agent.reset_queues',
  'supervisor.monitor',
  'tickets.import_export',
  'customers.import_export',
  'recordings.access',
  'contacts.create',
  'documents.manage',
  'tickets.work',
  'tickets.view_all',
  'tickets.reopen',
  'tickets.manage',
] as const;
export type PermissionCode = (typeof PERMISSION_CODES)[number];

/** A colleague's name (`GET /users/directory`). */
export interface Colleague {
  id: string;
  login: string;
  display_name: string;
  active: boolean;
}

// ---- Engine API (docs/api-v1.md, "Engine API (issue #3)") ----

export type AgentState = 'signed_out' | 'idle' | 'talking' | 'wrap_up' | 'busy' | 'rest';
export const AGENT_STATES: readonly AgentState[] = ['signed_out', 'idle', 'talking', 'wrap_up', 'busy', 'rest'];
/** States an agent may choose for themself (`POST /agent/state`). */
export type SettableState = 'idle' | 'busy' | 'rest';
/** States a supervisor may force (`POST /supervisor/agents/{id}/state`). */
export type ForcibleState = SettableState | 'signed_out';

export type ContactState = 'queued' | 'reserved' | 'offered' | 'connected' | 'wrap_up' | 'closed';

export interface Contact {
  id: string;
  channel: Channel;
  direction: 'inbound' | 'outbound';
  queue_id: string;
  priority: number;
  customer: string | null;
  title: string | null;
  link: string | null;
  data: Record<string, string>;
  state: ContactState;
  agent_id: string | null;
  offer_expires_at: string | null;
  created_at: string;
  enqueued_at: string;
  closed_at: string | null;
  outcome: string | null;
  summary: string | null;
  /** The customer's satisfaction rating (1-5) of a chat, when given (docs/api-v1.md, "Web chat"). */
  rating?: number | null;
  rating_comment?: string | null;
}

export interface BoundQueue {
  id: string;
  name: string;
  channel: Channel;
  skill_level: number;
}

export interface QueueWaiting {
  queue_id: string;
  waiting: number;
  oldest_enqueued_at: string | null;
}

export interface AgentStatus {
  state: AgentState;
  state_since: string;
  reason: string | null;
  ready: boolean;
  sign_in_mode: SignInMode;
  auto_answer: boolean;
  bound_queues: BoundQueue[];
  signed_in_queues: string[];
  contacts: Contact[];
  waiting: QueueWaiting[];
  can_reset_queues: boolean;
  summary_required: boolean;
  wrap_up_limit_s: number;
  server_time: string;
}

export interface NewContact {
  queue_id: string;
  title: string;
  link?: string;
  priority?: number;
  customer?: string;
  data?: Record<string, string>;
}

export type AgentsPerState = Record<AgentState, number>;

export interface LiveAgent {
  id: string;
  login: string;
  display_name: string;
  state: AgentState;
  state_since: string;
  reason: string | null;
  signed_in_queues: string[];
  /** The contacts the agent holds; the contract leaves the shape open (a count, ids or Contact objects). */
  contacts: number | Array<Contact | string>;
}

export interface LiveQueue {
  id: string;
  name: string;
  channel: Channel;
  waiting: number;
  oldest_enqueued_at: string | null;
  agents: AgentsPerState;
}

export interface SupervisorLive {
  agents: LiveAgent[];
  queues: LiveQueue[];
  server_time: string;
}

/** A WebSocket message: `{"type": …, …}`. */
export interface LiveEvent {
  type: string;
  [key: string]: unknown;
}

/** 409 codes of the engine API (each has an `error.<code>` translation). */
export const ENGINE_ERROR_CODES = [
  'already_signed_in', 'not_signed_in', 'queues_required', 'queues_not_choosable', 'not_bound', 'no_bound_queues',
  'no_queues_chosen', 'contacts_in_progress', 'not_offered', 'not_connected', 'not_in_wrap_up', 'summary_required',
  'cannot_reject', 'contact_ended', 'queue_full',
] as const;

// ---- Web chat, agent side (docs/api-v1.md, "Web chat (issue #4)", "Canned replies, documents, files") ----

export type ChatSender = 'customer' | 'agent' | 'system';
export type ChatMessageKind = 'text' | 'file' | 'document' | 'notice';

/** A stored chat message as agents get it (a withdrawn message keeps its text for agents). */
export interface ChatMessage {
  id: string;
  contact_id?: string;
  seq: number;
  sender: ChatSender;
  kind: ChatMessageKind;
  /** The text for `text`; an object for `document`, `file` and `notice`. */
  body: unknown;
  client_id: string | null;
  at: string;
  recalled: boolean;
}

export interface ChatCustomer {
  id: string;
  verified: boolean;
  name: string | null;
  phone: string | null;
  email: string | null;
}

/** `GET /contacts/{id}/history` (M8). */
export interface ContactHistory {
  customer: ChatCustomer | null;
  customer_key: string | null;
  recent: Contact[];
}

export interface TransferRequest {
  queue_id?: string;
  agent_id?: string;
  note: string;
}

export type CannedScope = 'personal' | 'team';

export interface CannedReply {
  id: string;
  scope: CannedScope;
  title: string;
  text: string;
}

export interface LibraryDocument {
  id: string;
  title: string;
  url: string;
  description: string | null;
}

export interface NewDocument {
  title: string;
  url: string;
  description?: string;
}

// ---- Chat entry points (docs/api-v1.md, "Chat entry points") ----

export interface ChatEntry {
  id: string;
  /** The URL name: the customer page is `/chat/{tenant}/{name}`. */
  name: string;
  title: string;
  queue_id: string;
  prechat_form: boolean;
  verifies_identities: boolean;
}

export interface NewChatEntry {
  name: string;
  title: string;
  queue_id: string;
  prechat_form?: boolean;
  identity_secret?: string;
}
