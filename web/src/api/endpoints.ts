import { api } from './client';
import type {
  Colleague, ColleagueStatus, ConsultRequest, MonitorMode,
  CannedReply, CannedScope, ChatMessage, ContactHistory, LibraryDocument, TransferRequest,
  ChatEntry, NewChatEntry, NewDocument,
  CallDetail, CallDigits, CallerNumber, DialRequest, CallPage, CallerInfo, DispositionCode, SummaryRequest,
  AgentParams, AgentStatus, Contact, ForcibleState, ImportResult, LiveAgent, NewContact, SettableState, SupervisorLive, LoginResponse, Me, NewUser, Permission, Queue, QueueAgent, QueueInput, Role, Tag,
  TenantParams, User, UserPatch,
  AgentPhone, HotlineNumber, HotlineNumberInput, NumberGroup, NumberGroupInput, OutboundPolicy, OutboundPolicyInput, QueueVoice, QueueVoiceInput, SetExtension, SipExtension, Trunk, TrunkInput,
  BuiltinPrompt, IvrFlow, UploadedPrompt, AgentIvrFlow, TransferToIvr, TransferToNumber,
  AgentReport, AgentTimeline, ContactLife, QueueReport, QueueTargets, Wallboard,
  QualityReport, QualityReview, QualitySample, ReviewAnswer, ReviewMaterial, ReviewPick, SampleRequest, Scorecard, ScorecardInput,
  Webhook, WebhookDelivery, WebhookInput, WebhookWithSecret,
  CustomerEdit, CustomerFieldDefs, CustomerInput, CustomerPage, CustomerRecord, CustomerTrailPage, ServicePage,
} from './types';
import type { FlowDef } from '../admin/voice/flows/model';

const enc = encodeURIComponent;

export const authApi = {
  login: (tenant: string, login: string, password: string) =>
    api.post<LoginResponse>('/auth/login', { tenant, login, password }, { anonymous: true }),
  logout: () => api.post<void>('/auth/logout'),
  changePassword: (current_password: string, new_password: string) =>
    api.post<void>('/auth/password', { current_password, new_password }),
  me: () => api.get<Me>('/me'),
};

export const usersApi = {
  list: () => api.get<User[]>('/users'),
  /** Names of everyone, for anyone working contacts or tickets. */
  directory: () => api.get<Colleague[]>('/users/directory'),
  create: (u: NewUser) => api.post<User>('/users', u),
  update: (id: string, patch: UserPatch) => api.patch<User>(`/users/${enc(id)}`, patch),
  deactivate: (id: string) => api.del(`/users/${enc(id)}`),
  resetPassword: (id: string, password: string) => api.post<void>(`/users/${enc(id)}/password`, { password }),
  import: (file: File) => {
    const fd = new FormData();
    fd.append('file', file, file.name);
    return api.post<ImportResult>('/users/import', fd);
  },
  templatePath: (kind: 'csv' | 'xlsx') => `/api/v1/users/import/template.${kind}`,
};

export const rolesApi = {
  permissions: () => api.get<Permission[]>('/permissions'),
  list: () => api.get<Role[]>('/roles'),
  create: (name: string, permissions: string[]) => api.post<Role>('/roles', { name, permissions }),
  update: (id: string, patch: { name?: string; permissions?: string[] }) => api.patch<Role>(`/roles/${enc(id)}`, patch),
  remove: (id: string) => api.del(`/roles/${enc(id)}`),
};

export const queuesApi = {
  list: () => api.get<Queue[]>('/queues'),
  create: (q: QueueInput) => api.post<Queue>('/queues', q),
  update: (id: string, q: Partial<QueueInput>) => api.patch<Queue>(`/queues/${enc(id)}`, q),
  remove: (id: string) => api.del(`/queues/${enc(id)}`),
  setAgents: (id: string, agents: QueueAgent[]) => api.put<Queue>(`/queues/${enc(id)}/agents`, agents),
  targets: (id: string) => api.get<QueueTargets>(`/queues/${enc(id)}/targets`),
  setTargets: (id: string, t: QueueTargets) => api.put<QueueTargets>(`/queues/${enc(id)}/targets`, t),
};

export const tagsApi = {
  list: () => api.get<Tag[]>('/tags'),
  create: (name: string) => api.post<Tag>('/tags', { name }),
  remove: (id: string) => api.del(`/tags/${enc(id)}`),
};

export const paramsApi = {
  get: () => api.get<TenantParams>('/tenant/params'),
  put: (p: TenantParams) => api.put<TenantParams>('/tenant/params', p),
};

export const dispositionsApi = {
  list: () => api.get<{ codes: DispositionCode[] }>('/tenant/disposition-codes'),
  put: (codes: DispositionCode[]) => api.put<{ codes: DispositionCode[] }>('/tenant/disposition-codes', { codes }),
};

export type { AgentParams };

export const agentApi = {
  status: () => api.get<AgentStatus>('/agent'),
  signIn: (queues?: string[]) => api.post<AgentStatus>('/agent/sign-in', queues ? { queues } : {}),
  signOut: () => api.post<AgentStatus>('/agent/sign-out'),
  setState: (state: SettableState, reason?: string) =>
    api.post<AgentStatus>('/agent/state', reason ? { state, reason } : { state }),
  resetQueues: (queues: string[]) => api.post<AgentStatus>('/agent/queues', { queues }),
  continueWork: (contact_id?: string) => api.post<AgentStatus>('/agent/continue', contact_id ? { contact_id } : {}),
  /** Signed-in colleagues (not me), free ones first: whom I may consult or hand a contact to. */
  colleagues: () => api.get<ColleagueStatus[]>('/agent/colleagues'),
  /** The numbers I may present on an outbound call, defaults first. */
  callerNumbers: () => api.get<CallerNumber[]>('/agent/caller-numbers'),
  /** Call a customer: my phone rings first, then theirs; the answer is my connected contact. */
  dial: (req: DialRequest) => api.post<Contact>('/agent/calls', req),
  /** The IVR flows I may send my call's customer into, with their nodes. */
  ivrFlows: () => api.get<AgentIvrFlow[]>('/agent/ivr-flows'),
};

/** Voice configuration (admin) and the agent's own phone. */
export const voiceApi = {
  extensions: () => api.get<SipExtension[]>('/voice/extensions'),
  setExtension: (userId: string, body: SetExtension) => api.put<SipExtension>(`/voice/extensions/${enc(userId)}`, body),
  removeExtension: (userId: string) => api.del(`/voice/extensions/${enc(userId)}`),
  trunks: () => api.get<Trunk[]>('/voice/trunks'),
  createTrunk: (t: TrunkInput) => api.post<Trunk>('/voice/trunks', t),
  updateTrunk: (id: string, t: TrunkInput) => api.put<Trunk>(`/voice/trunks/${enc(id)}`, t),
  removeTrunk: (id: string) => api.del(`/voice/trunks/${enc(id)}`),
  numbers: () => api.get<HotlineNumber[]>('/voice/numbers'),
  createNumber: (n: HotlineNumberInput) => api.post<HotlineNumber>('/voice/numbers', n),
  updateNumber: (id: string, n: HotlineNumberInput) => api.put<HotlineNumber>(`/voice/numbers/${enc(id)}`, n),
  removeNumber: (id: string) => api.del(`/voice/numbers/${enc(id)}`),
  numberGroups: () => api.get<NumberGroup[]>('/voice/number-groups'),
  createNumberGroup: (g: NumberGroupInput) => api.post<NumberGroup>('/voice/number-groups', g),
  updateNumberGroup: (id: string, g: NumberGroupInput) => api.put<NumberGroup>(`/voice/number-groups/${enc(id)}`, g),
  removeNumberGroup: (id: string) => api.del(`/voice/number-groups/${enc(id)}`),
  outboundPolicy: () => api.get<OutboundPolicy>('/voice/outbound-policy'),
  setOutboundPolicy: (p: OutboundPolicyInput) => api.put<OutboundPolicy>('/voice/outbound-policy', p),
  queueSettings: () => api.get<QueueVoice[]>('/voice/queues'),
  setQueueSettings: (queueId: string, body: QueueVoiceInput) => api.put<QueueVoice>(`/voice/queues/${enc(queueId)}`, body),
  myPhone: () => api.get<AgentPhone>('/agent/phone'),
  openLine: () => api.put<void>('/agent/phone/line', {}),
  closeLine: () => api.del('/agent/phone/line'),
  flows: () => api.get<IvrFlow[]>('/voice/flows'),
  flow: (id: string) => api.get<IvrFlow>(`/voice/flows/${enc(id)}`),
  createFlow: (name: string, definition: FlowDef) => api.post<IvrFlow>('/voice/flows', { name, definition }),
  updateFlow: (id: string, name: string, definition: FlowDef) => api.put<IvrFlow>(`/voice/flows/${enc(id)}`, { name, definition }),
  removeFlow: (id: string) => api.del(`/voice/flows/${enc(id)}`),
  prompts: () => api.get<UploadedPrompt[]>('/voice/prompts'),
  builtinPrompts: () => api.get<BuiltinPrompt[]>('/voice/builtin-prompts'),
  uploadPrompt: (file: File, name?: string) => {
    const fd = new FormData();
    fd.append('file', file, file.name);
    if (name) fd.append('name', name);
    return api.post<UploadedPrompt>('/voice/prompts', fd);
  },
  renamePrompt: (id: string, name: string) => api.put<UploadedPrompt>(`/voice/prompts/${enc(id)}`, { name }),
  removePrompt: (id: string) => api.del(`/voice/prompts/${enc(id)}`),
};

export const contactsApi = {
  create: (c: NewContact) => api.post<Contact>('/contacts', c),
  get: (id: string) => api.get<Contact>(`/contacts/${enc(id)}`),
  answer: (id: string) => api.post<Contact>(`/contacts/${enc(id)}/answer`),
  release: (id: string) => api.post<Contact>(`/contacts/${enc(id)}/release`),
  saveSummary: (id: string, body: SummaryRequest) => api.put<Contact>(`/contacts/${enc(id)}/summary`, body),
  caller: (id: string) => api.get<CallerInfo>(`/contacts/${enc(id)}/caller`),
  transfer: (id: string, req: TransferRequest) => api.post<Contact>(`/contacts/${enc(id)}/transfer`, req),
  /** Hand my call's customer out: to an outside number, into an IVR flow, or to the survey; I wrap up. */
  transferNumber: (id: string, req: TransferToNumber) => api.post<Contact>(`/contacts/${enc(id)}/transfer/number`, req),
  transferIvr: (id: string, req: TransferToIvr) => api.post<Contact>(`/contacts/${enc(id)}/transfer/ivr`, req),
  transferSurvey: (id: string) => api.post<Contact>(`/contacts/${enc(id)}/transfer/survey`),
  history: (id: string) => api.get<ContactHistory>(`/contacts/${enc(id)}/history`),
  /** My connected call's customer on hold (music for them, silence for me) and back. */
  hold: (id: string) => api.post<Contact>(`/contacts/${enc(id)}/hold`),
  resume: (id: string) => api.post<Contact>(`/contacts/${enc(id)}/resume`),
  /** DTMF to the far end of my connected call. */
  digits: (id: string, body: CallDigits) => api.post<Contact>(`/contacts/${enc(id)}/digits`, body),
  /** Consult a colleague (or a queue's longest-idle agent) while the customer holds. */
  consult: (id: string, body: ConsultRequest) => api.post<Contact>(`/contacts/${enc(id)}/consult`, body),
  /** The consult becomes a three-way call. */
  consultJoin: (id: string) => api.post<Contact>(`/contacts/${enc(id)}/consult/join`),
  /** Attended transfer: the customer stays with the consulted agent; the contact leaves me. */
  consultComplete: (id: string) => api.post<Contact>(`/contacts/${enc(id)}/consult/complete`),
  /** Drop the consulted agent and be back with the customer. */
  consultEnd: (id: string) => api.post<Contact>(`/contacts/${enc(id)}/consult/end`),
};

/** The agent's side of a chat conversation. */
export const chatApi = {
  messages: (id: string, after = 0) => api.get<ChatMessage[]>(`/contacts/${enc(id)}/messages?after=${after}`),
  sendText: (id: string, client_id: string, text: string) => api.post<ChatMessage>(`/contacts/${enc(id)}/messages`, { client_id, text }),
  sendDocument: (id: string, client_id: string, document_id: string) =>
    api.post<ChatMessage>(`/contacts/${enc(id)}/messages`, { client_id, document_id }),
  sendFile: (id: string, file: File) => {
    const fd = new FormData();
    fd.append('file', file, file.name);
    return api.post<ChatMessage>(`/contacts/${enc(id)}/files`, fd);
  },
  recall: (id: string, messageId: string) => api.post<ChatMessage>(`/contacts/${enc(id)}/messages/${enc(messageId)}/recall`),
  typing: (id: string) => api.post<void>(`/contacts/${enc(id)}/typing`),
  read: (id: string, seq: number) => api.post<void>(`/contacts/${enc(id)}/read`, { seq }),
};

/** Canned replies and the document library (M2, M11). */
export const libraryApi = {
  replies: () => api.get<CannedReply[]>('/canned-replies'),
  createReply: (scope: CannedScope, title: string, text: string) => api.post<CannedReply>('/canned-replies', { scope, title, text }),
  deleteReply: (id: string) => api.del(`/canned-replies/${enc(id)}`),
  documents: () => api.get<LibraryDocument[]>('/documents'),
  createDocument: (d: NewDocument) => api.post<LibraryDocument>('/documents', d),
  deleteDocument: (id: string) => api.del(`/documents/${enc(id)}`),
};

/** Chat entry points: where the chat widget is embedded and which queue it feeds. */
export const chatEntriesApi = {
  list: () => api.get<ChatEntry[]>('/chat-entries'),
  create: (e: NewChatEntry) => api.post<ChatEntry>('/chat-entries', e),
  remove: (id: string) => api.del(`/chat-entries/${enc(id)}`),
};

export const supervisorApi = {
  live: () => api.get<SupervisorLive>('/supervisor/live'),
  /** The figures once; `wallboard` messages on the socket keep them up to date. */
  wallboard: () => api.get<Wallboard>('/supervisor/wallboard'),
  forceState: (agentId: string, state: ForcibleState, reason?: string) =>
    api.post<LiveAgent>(`/supervisor/agents/${enc(agentId)}/state`, reason ? { state, reason } : { state }),
  /** Listen, whisper or barge on a connected call (my phone is called the first time). */
  monitor: (contactId: string, mode: MonitorMode) => api.put<Contact>(`/supervisor/calls/${enc(contactId)}/monitor`, { mode }),
  /** Stop monitoring: my phone hangs up, the call goes on. */
  stopMonitor: (contactId: string) => api.del(`/supervisor/calls/${enc(contactId)}/monitor`),
};

export const callsApi = {
  /** `query` from `callQuery` (calls/model.ts). */
  list: (query: string) => api.get<CallPage>(`/calls${query}`),
  get: (id: string) => api.get<CallDetail>(`/calls/${enc(id)}`),
  exportPath: (query: string) => `/api/v1/calls/export${query}`,
};

/** Historical reports (P2), the wallboard as of a past moment, timelines (X3). `query` from reports/model.ts. */
export const reportsApi = {
  queues: (query: string) => api.get<QueueReport>(`/reports/queues${query}`),
  agents: (query: string) => api.get<AgentReport>(`/reports/agents${query}`),
  exportPath: (kind: 'queues' | 'agents', query: string) => `/api/v1/reports/${kind}/export${query}`,
  wallboardAt: (at: string) => api.get<Wallboard>(`/reports/wallboard?at=${enc(at)}`),
  agentTimeline: (agentId: string, date: string) => api.get<AgentTimeline>(`/agents/${enc(agentId)}/timeline?date=${enc(date)}`),
  myTimeline: (date: string) => api.get<AgentTimeline>(`/agent/timeline?date=${enc(date)}`),
  contactLife: (contactId: string) => api.get<ContactLife>(`/contacts/${enc(contactId)}/life`),
};

/** Quality inspection: scorecards, the contact picker and samples, reviews, the agent's own, the report. */
export const qualityApi = {
  scorecards: () => api.get<Scorecard[]>('/quality/scorecards'),
  createScorecard: (c: ScorecardInput) => api.post<Scorecard>('/quality/scorecards', c),
  updateScorecard: (id: string, c: ScorecardInput) => api.put<Scorecard>(`/quality/scorecards/${enc(id)}`, c),
  setActive: (id: string, active: boolean) => api.put<Scorecard>(`/quality/scorecards/${enc(id)}/active`, { active }),
  contacts: (query: string) => api.get<ReviewPick[]>(`/quality/contacts?${query}`),
  draw: (req: SampleRequest) => api.post<QualitySample>('/quality/samples', req),
  reviews: (query: string) => api.get<QualityReview[]>(`/quality/reviews?${query}`),
  start: (contact_id: string, scorecard_id: string) => api.post<QualityReview>('/quality/reviews', { contact_id, scorecard_id }),
  review: (id: string) => api.get<QualityReview>(`/quality/reviews/${enc(id)}`),
  material: (id: string) => api.get<ReviewMaterial>(`/quality/reviews/${enc(id)}/material`),
  save: (id: string, answers: ReviewAnswer[], comment: string) => api.put<QualityReview>(`/quality/reviews/${enc(id)}`, { answers, comment }),
  submit: (id: string, answers: ReviewAnswer[], comment: string) =>
    api.post<QualityReview>(`/quality/reviews/${enc(id)}/submit`, { answers, comment }),
  resolve: (id: string, resolution: 'upheld' | 'rescored', note: string, answers?: ReviewAnswer[]) =>
    api.post<QualityReview>(`/quality/reviews/${enc(id)}/resolve`, answers ? { resolution, note, answers } : { resolution, note }),
  mine: () => api.get<QualityReview[]>('/agent/quality/reviews'),
  acknowledge: (id: string) => api.post<QualityReview>(`/agent/quality/reviews/${enc(id)}/acknowledge`, {}),
  dispute: (id: string, reason: string) => api.post<QualityReview>(`/agent/quality/reviews/${enc(id)}/dispute`, { reason }),
  report: (query: string) => api.get<QualityReport>(`/quality/report?${query}`),
};

/** Outgoing webhooks (integrations.manage): the secret comes back only from create and rotate. */
export const webhooksApi = {
  eventTypes: () => api.get<string[]>('/webhook-event-types'),
  list: () => api.get<Webhook[]>('/webhooks'),
  create: (w: WebhookInput) => api.post<WebhookWithSecret>('/webhooks', w),
  update: (id: string, w: WebhookInput) => api.put<Webhook>(`/webhooks/${enc(id)}`, w),
  remove: (id: string) => api.del(`/webhooks/${enc(id)}`),
  rotateSecret: (id: string) => api.post<WebhookWithSecret>(`/webhooks/${enc(id)}/rotate-secret`),
  ping: (id: string) => api.post<WebhookDelivery>(`/webhooks/${enc(id)}/ping`),
  deliveries: (id: string) => api.get<WebhookDelivery[]>(`/webhooks/${enc(id)}/deliveries`),
  redeliver: (id: string, delivery: string) =>
    api.post<WebhookDelivery>(`/webhooks/${enc(id)}/deliveries/${enc(delivery)}/redeliver`),
};

export const customersApi = {
  /** `query` from `customerQuery` (customers/model.ts). */
  list: (query: string) => api.get<CustomerPage>(`/customers${query}`),
  get: (id: string) => api.get<CustomerRecord>(`/customers/${enc(id)}`),
  create: (c: CustomerInput) => api.post<CustomerRecord>('/customers', c),
  update: (id: string, c: CustomerEdit) => api.put<CustomerRecord>(`/customers/${enc(id)}`, c),
  merge: (id: string, from: string) => api.post<CustomerRecord>(`/customers/${enc(id)}/merge`, { from }),
  trail: (id: string, before?: string) =>
    api.get<CustomerTrailPage>(`/customers/${enc(id)}/trail${before != null ? `?before=${enc(before)}` : ''}`),
  chat: (id: string, contactId: string) => api.get<ChatMessage[]>(`/customers/${enc(id)}/chats/${enc(contactId)}`),
  exportPath: (query: string) => `/api/v1/customers/export${query}`,
  templatePath: '/api/v1/customers/import-template',
  import: (file: File) => {
    const fd = new FormData();
    fd.append('file', file, file.name);
    return api.post<ImportResult>('/customers/import', fd);
  },
  fields: () => api.get<CustomerFieldDefs>('/customer-fields'),
  setFields: (defs: CustomerFieldDefs) => api.put<CustomerFieldDefs>('/customer-fields', defs),
};

export const serviceListApi = {
  list: (tab: 'open' | 'ended', before?: string) =>
    api.get<ServicePage>(`/agent/contacts?tab=${tab}${before != null ? `&before=${enc(before)}` : ''}`),
};
