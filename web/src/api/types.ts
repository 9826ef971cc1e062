// The API's wire types. Everything the server's OpenAPI document describes is an alias of
// `components['schemas']` in `schema.gen.ts`, generated from `web/openapi.json` (see the README,
// "Wire types"); only what the document cannot say is written here, each with the reason.
import type { components } from './schema.gen';

type Schemas = components['schemas'];

// ---- Accounts, roles, queues, parameters ----

export type AgentParams = Schemas['AgentParamsWire'];
export type SignInMode = AgentParams['sign_in_mode'];
export type Me = Schemas['Me'];
export type LoginResponse = Schemas['LoginResponse'];
export type User = Schemas['UserOut'];
export type NewUser = Schemas['CreateUser'];
export type UserPatch = Schemas['PatchUser'];
/** A colleague's name (`GET /users/directory`). */
export type Colleague = Schemas['Colleague'];
/** A signed-in colleague and whether they are free (`GET /agent/colleagues`). */
export type ColleagueStatus = Schemas['ColleagueStatus'];
export type ImportRowError = Schemas['RowError'];
export type ImportResult = Schemas['ImportResult'];
export type Permission = Schemas['PermissionOut'];
export type Role = Schemas['RoleOut'];

export type Queue = Schemas['QueueOut'];
export type QueueAgent = Schemas['QueueAgentWire'];
/** `POST /queues` and `PATCH /queues/{id}` (every field optional on PATCH). */
export type QueueInput = Schemas['QueueIn'];
export type Channel = Queue['channel'];
export type Strategy = Queue['strategy'];
export type Tag = Schemas['TagOut'];

export type TenantParams = Schemas['TenantParamsWire'];
export type PostSignInState = TenantParams['post_sign_in_state'];
export type TenantSignInMode = TenantParams['sign_in_mode'];

/** The permission codes the UI checks (the server lists them with descriptions at `GET /permissions`). */
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
  'calls.outbound',
  'reports.view',
  'quality.review',
  'quality.manage',
  'customers.work',
  'customers.merge',
  'integrations.manage',
] as const;
export type PermissionCode = (typeof PERMISSION_CODES)[number];

// ---- Engine: agents, contacts, supervisor ----

export type AgentStatus = Schemas['AgentStatus'];
export type AgentState = AgentStatus['state'];
export const AGENT_STATES: readonly AgentState[] = ['signed_out', 'idle', 'talking', 'wrap_up', 'busy', 'rest'];
/** States an agent may choose for themself (`POST /agent/state`; the document types it as text). */
export type SettableState = Extract<AgentState, 'idle' | 'busy' | 'rest'>;
/** States a supervisor may force (`POST /supervisor/agents/{id}/state`). */
export type ForcibleState = SettableState | 'signed_out';
export type BoundQueue = Schemas['BoundQueue'];
export type QueueWaiting = Schemas['QueueWaiting'];

export type Contact = Schemas['ContactOut'];
export type ContactState = Contact['state'];
export type NewContact = Schemas['CreateTask'];
export type TransferRequest = Schemas['Transfer'];
/** `POST /contacts/{id}/digits`: keys for the soft keypad. */
export type CallDigits = Schemas['Digits'];
/** `POST /contacts/{id}/consult`: an agent or a queue. */
export type ConsultRequest = Schemas['Consult'];
/** How a supervisor is on a call (`PUT /supervisor/calls/{id}/monitor`). */
export type MonitorMode = Schemas['Mode'];
export type ChatCustomer = Schemas['CustomerOut'];
/** `GET /contacts/{id}/history` (M8). */
export type ContactHistory = Schemas['History'];
/** `GET /contacts/{id}/caller`: the screen pop of a call (V3). */
export type CallerInfo = Schemas['CallerOut'];
export type CallerLocation = Schemas['LocationOut'];
export type PastContact = Schemas['PastContact'];
/** The tenant's disposition codes (处理结果) for wrap-up summaries. */
export type DispositionCode = Schemas['DispositionWire'];
export type SummaryRequest = Schemas['Summary'];

export type SupervisorLive = Schemas['LiveView'];
export type LiveAgent = Schemas['LiveAgent'];
export type LiveQueue = Schemas['LiveQueue'];
export type AgentsPerState = LiveQueue['agents'];

/** A WebSocket message: `{"type": …, …}` (the socket's frames are not in the OpenAPI document). */
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

/** 409 codes of call control (`/contacts/{id}/hold`, `/resume`, `/digits`; each has an `error.<code>` translation). */
export const CALL_ERROR_CODES = ['already_held', 'not_held', 'no_call', 'not_a_call'] as const;

/** 409 codes of consulting (`/contacts/{id}/consult…`; hold and resume answer `consulting` meanwhile). */
export const CONSULT_ERROR_CODES = ['consulting', 'not_consulting', 'target_unavailable', 'no_free_agent', 'unreachable'] as const;

/** 409 codes of supervisor monitoring (`/supervisor/calls/{id}/monitor`). */
/** Refusals of an outbound call (`POST /agent/calls`; each has an `error.<code>` translation). */
export const DIAL_ERROR_CODES = [
  'destination_refused', 'not_signed_in', 'agent_resting', 'on_a_call', 'no_phone', 'no_caller_number', 'no_voice_queue',
  'no_trunk', 'daily_limit_reached', 'no_voice', 'no_capacity',
] as const;

export const MONITOR_ERROR_CODES = ['unreachable', 'monitored', 'not_monitored', 'not_connected', 'not_a_call'] as const;

// ---- Web chat, agent side; canned replies, documents, entry points ----

export type ChatSender = 'customer' | 'agent' | 'system';
export type ChatMessageKind = 'text' | 'file' | 'document' | 'notice';

/**
 * A stored chat message, as agents get it (`GET /contacts/{id}/messages`) and as the customer's
 * socket sends it. Hand-written: the server builds it as free JSON, so the OpenAPI document has
 * only `object` for it. A withdrawn message keeps its text for agents; customers get `null`.
 */
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

export type CannedReply = Schemas['CannedReplyOut'];
export type CannedScope = CannedReply['scope'];
export type LibraryDocument = Schemas['DocumentOut'];
export type NewDocument = Schemas['NewDocument'];
export type ChatEntry = Schemas['EntryOut'];
export type NewChatEntry = Schemas['NewEntry'];

// ---- Voice configuration ----

/** An agent and their SIP extension (`GET /voice/extensions`). */
export type SipExtension = Schemas['ExtensionOut'];
export type SetExtension = Schemas['SetExtension'];
/** My phone, for the connection bar (`GET /agent/phone`). */
export type AgentPhone = Schemas['PhoneOut'];
export type Trunk = Schemas['TrunkOut'];
export type QueueVoice = Schemas['QueueVoiceOut'];
export type QueueVoiceInput = Schemas['QueueVoiceIn'];
export type TrunkInput = Schemas['TrunkIn'];
export type HotlineNumber = Schemas['NumberOut'];
export type HotlineNumberInput = Schemas['NumberIn'];
export type HotlineRoute = Schemas['RouteWire'];
export type TrunkOutboundProxy = Schemas['TrunkOutboundProxy'];
export type NumberGroup = Schemas['NumberGroupOut'];
export type NumberGroupInput = Schemas['NumberGroupIn'];
export type DestinationRule = Schemas['DestinationRuleWire'];
export type OutboundPolicy = Schemas['OutboundPolicyOut'];
export type OutboundPolicyInput = Schemas['OutboundPolicyIn'];
/** An IVR flow (语音导航). Its definition is edited through `admin/voice/flows/model.ts`. */
export type IvrFlow = Schemas['FlowOut'];
export type UploadedPrompt = Schemas['PromptOut'];
export type BuiltinPrompt = Schemas['BuiltinPromptOut'];
// ---- Call records (V13) ----

export type CallRecord = Schemas['CallOut'];
/** A number I may present on an outbound call (`GET /agent/caller-numbers`). */
export type CallerNumber = Schemas['CallerNumberOut'];
export type DialRequest = Schemas['DialIn'];
export type CallDetail = Schemas['CallDetail'];
export type CallLeg = Schemas['LegOut'];
export type CallPage = Schemas['CallPage'];
/** One hand-over of a call: blind (a transfer), attended (after a consult), external (to an outside number) or ivr (a flow, or the survey). */
export type CallHandoff = Schemas['HandoffOut'];
/** An IVR flow an agent may send a call's customer into, with its nodes (`GET /agent/ivr-flows`). */
export type AgentIvrFlow = Schemas['AgentFlowOut'];
export type TransferToNumber = Schemas['TransferToNumber'];
export type TransferToIvr = Schemas['TransferToIvr'];

/** Refusals of handing a call out (`/contacts/{id}/transfer/number|ivr|survey`, `/consult` with a number); each has an `error.<code>` translation. */
export const HANDOUT_ERROR_CODES = ['destination_refused', 'no_trunk', 'no_caller_number', 'not_connected', 'consulting', 'no_call', 'not_a_call'] as const;
/** …and the fields their 400s name (`error.invalid_field.<field>`). */
export const HANDOUT_ERROR_FIELDS = ['number', 'caller_number', 'flow_id'] as const;

// ---- Wallboard figures, reports, timelines (P1, P2, X3) ----

export type Wallboard = Schemas['Wallboard'];
export type WallboardQueue = Schemas['WallboardQueue'];
export type QueueFigures = Schemas['QueueFigures'];
export type QueueTargets = Schemas['QueueTargets'];
export type ThresholdLevels = Schemas['ThresholdLevels'];
export type StateCounts = Schemas['StateCounts'];
export type ReasonCount = Schemas['ReasonCount'];
export type QueueReport = Schemas['QueueReport'];
export type QueueReportRow = Schemas['QueueReportRow'];
export type AgentReport = Schemas['AgentReport'];
export type AgentReportRow = Schemas['AgentReportRow'];
export type AgentFigures = Schemas['AgentFigures'];
export type ReasonTime = Schemas['ReasonTime'];
export type AgentTimeline = Schemas['AgentTimeline'];
export type StateSpan = Schemas['StateSpan'];
export type TimelineContact = Schemas['HeldContact'];
export type ContactLife = Schemas['ContactLife'];
export type LifeStep = Schemas['LifeStep'];

// ---- Quality inspection (质检) ----

export type Scorecard = Schemas['ScorecardOut'];
export type ScorecardInput = Schemas['ScorecardIn'];
export type ScorecardSection = Schemas['SectionWire'];
export type ScorecardItem = Schemas['ItemWire'];
export type QualityReview = Schemas['ReviewOut'];
export type ReviewAnswer = Schemas['AnswerWire'];
export type ReviewPick = Schemas['PickOut'];
export type QualitySample = Schemas['SampleOut'];
export type SampleRequest = Schemas['DrawIn'];
export type ReviewMaterial = Schemas['ContactMaterial'];
export type QualityReport = Schemas['ReportOut'];
export type QualityReportRow = Schemas['ReportRow'];

// ---- Outgoing webhooks ----

export type Webhook = Schemas['WebhookOut'];
export type WebhookInput = Schemas['WebhookIn'];
/** A webhook with its signing secret: the answer to creating one and to rotating its secret. */
export type WebhookWithSecret = Schemas['WebhookWithSecret'];
export type WebhookDelivery = Schemas['DeliveryOut'];

// ---- Customer directory (issue #16) ----

export type CustomerRecord = Schemas['CustomerRecord'];
export type CustomerInput = Schemas['CustomerIn'];
export type CustomerEdit = Schemas['CustomerEdit'];
export type CustomerPage = Schemas['CustomerPage'];
export type CustomerFieldDefs = Schemas['CustomerFieldDefs'];
export type CustomerFieldDef = Schemas['CustomerFieldDef'];
export type CustomerTrailEntry = Schemas['CustomerTrailEntry'];
export type CustomerTrailPage = Schemas['CustomerTrailPage'];
/** What the screen pop and the chat panel show of a contact's customer. */
export type CustomerBrief = Schemas['CustomerBrief'];
/** The agent's own service list (`GET /agent/contacts`). */
export type ServicePage = Schemas['ServicePage'];
export type ServiceEntry = Schemas['ServiceEntry'];
