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
] as const;
export type PermissionCode = (typeof PERMISSION_CODES)[number];
