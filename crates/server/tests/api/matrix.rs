//! The isolation and permission matrix: every operation of the live OpenAPI document, called
//! as every identity of one tenant (anonymous, a user who still owes the forced password
//! change, a user of every built-in role, a user holding no permission and one holding each
//! single permission) against that tenant's own records and another tenant's.
//!
//! Nothing here names an endpoint. Each operation declares what it checks in the document:
//! no `security` means public; a `bearer` requirement lists the permission the token must hold
//! as its scope (several requirements: any one of them; no scope: any signed-in user). Path
//! and query parameters are filled by name from one record of each kind per tenant (`slot`);
//! a parameter of a kind the matrix does not know fails the test, naming the fixture to add.
//!
//! A scheme with the token in the query (the event stream's WebSocket) is called the same way,
//! asking for the upgrade where the operation answers 101.
//!
//! What must hold, on every operation:
//! - anonymous callers get 401 on every signed operation;
//! - until the forced password change, only the operations of `BEFORE_PASSWORD_CHANGE` work;
//! - a caller without the declared permission gets 403 naming it, before anything is looked
//!   up (the same answer for the other tenant's record as for their own), and before the body
//!   is read (the body sent is `{}` or an empty form, which would otherwise be a 400);
//! - a caller holding it never gets that 403; a refusal naming another permission may only
//!   come after a record named in the path was found (a team reply, a shared view);
//! - the other tenant's record answers exactly as a record that does not exist: never 2xx
//!   when it is the record acted on (in the path); as a query filter, the same answer as a
//!   made-up id; no answer to this tenant carries the other tenant's ids or names;
//! - nothing answers 5xx, and no refusal passes on the database's own words;
//! - afterwards every read of the other tenant, as its admin, shows what it showed before.
//!
//! Calls run operation by operation, deletions last (children first) and logout at the very
//! end, so an earlier call does not take away the record a later one needs; each caller tries
//! the other tenant's records before its own.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Instant;

use reqwest::multipart::{Form, Part};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use switchboard_engine::{BuiltinRole, Permission};

use crate::chat::{next_of, send, Socket};
use crate::on_both;
use crate::support::TestApp;

/// The operations a user who still owes the forced password change may call (ARCHITECTURE.md,
/// "Every endpoint checks one permission").
const BEFORE_PASSWORD_CHANGE: [&str; 3] = [
    "GET /api/v1/me",
    "POST /api/v1/auth/password",
    "POST /api/v1/auth/logout",
];

/// The operation that ends the caller's session: it runs after everything else.
const ENDS_SESSION: &str = "POST /api/v1/auth/logout";

/// Words of the databases' own error messages, which no refusal may pass on.
const DATABASE_WORDS: [&str; 5] = ["constraint", "_fkey", "FOREIGN KEY", "UNIQUE", "SQL"];

/// A visitor id for the customer side of the chat fixtures.
const VISITOR: &str = "matrix-visitor-0123456789";

/// Kinds of tenant records a parameter can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Kind {
    Tenant,
    User,
    Queue,
    Tag,
    Role,
    Entry,
    Contact,
    Message,
    File,
    CannedReply,
    Document,
    Category,
    TicketType,
    Template,
    View,
    Ticket,
    Reminder,
    Trunk,
    HotlineNumber,
    Call,
    Flow,
    Prompt,
    NumberGroup,
    Scorecard,
    Review,
    Webhook,
    Delivery,
    Customer,
}

/// Which part of a record a parameter carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Id,
    /// The name a public URL uses (tenant, chat entry point).
    Name,
    /// A file's access key.
    Key,
}

/// What fills a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Record(Kind, Field),
    /// A code of the fixtures' ticket workflow: not a record, the same in both tenants.
    ActionCode,
    ExportFormat,
    Visitor,
    /// A built-in prompt's name: not a record, the same in both tenants.
    BuiltinPrompt,
    /// A tab of the agent's service list.
    ServiceTab,
    /// A day of a report's range.
    Date,
    /// A past moment (the wallboard as of it).
    Moment,
}

/// The collection a path segment names, for an `{id}` after it.
fn collection(segment: &str) -> Option<Kind> {
    Some(match segment {
        "users" | "agents" => Kind::User,
        "queues" => Kind::Queue,
        "tags" => Kind::Tag,
        "roles" => Kind::Role,
        "chat-entries" => Kind::Entry,
        "contacts" => Kind::Contact,
        "messages" => Kind::Message,
        "files" => Kind::File,
        "canned-replies" => Kind::CannedReply,
        "documents" => Kind::Document,
        "ticket-categories" => Kind::Category,
        "ticket-types" => Kind::TicketType,
        "ticket-templates" => Kind::Template,
        "ticket-views" => Kind::View,
        "tickets" => Kind::Ticket,
        "reminders" => Kind::Reminder,
        "trunks" => Kind::Trunk,
        "numbers" => Kind::HotlineNumber,
        "calls" => Kind::Call,
        "flows" => Kind::Flow,
        "prompts" => Kind::Prompt,
        "number-groups" => Kind::NumberGroup,
        "scorecards" => Kind::Scorecard,
        "reviews" => Kind::Review,
        "webhooks" => Kind::Webhook,
        "deliveries" => Kind::Delivery,
        "customers" => Kind::Customer,
        _ => return None,
    })
}

/// What fills parameter `name` of `path`: `{id}` is a record of the collection before it,
/// `{x_id}` a record of kind `x`; a few names are their own.
fn slot(path: &str, name: &str) -> Option<Slot> {
    let record = |kind| Some(Slot::Record(kind, Field::Id));
    match name {
        "id" => {
            let segment = path
                .split('/')
                .take_while(|s| *s != "{id}")
                .filter(|s| !s.starts_with('{'))
                .last()?;
            collection(segment).map(|k| Slot::Record(k, Field::Id))
        }
        "tenant" => Some(Slot::Record(Kind::Tenant, Field::Name)),
        "entry" => Some(Slot::Record(Kind::Entry, Field::Name)),
        "key" => Some(Slot::Record(Kind::File, Field::Key)),
        "conversation" => record(Kind::Contact),
        "code" => Some(Slot::ActionCode),
        "format" => Some(Slot::ExportFormat),
        "visitor" => Some(Slot::Visitor),
        "prompt" => Some(Slot::BuiltinPrompt),
        "delivery" => record(Kind::Delivery),
        "tab" => Some(Slot::ServiceTab),
        "from" | "to" | "date" => Some(Slot::Date),
        "at" => Some(Slot::Moment),
        _ => {
            let kind = match name.strip_suffix("_id")? {
                "user" => Kind::User,
                "message" => Kind::Message,
                "reminder" => Kind::Reminder,
                "type" => Kind::TicketType,
                "template" => Kind::Template,
                "category" => Kind::Category,
                "contact" => Kind::Contact,
                "group" => Kind::Queue,
                other => collection(&format!("{other}s"))?,
            };
            record(kind)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Access {
    Public,
    /// A bearer token holding any one of these permissions; none listed: any signed-in user.
    Signed(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Body {
    None,
    Json,
    Form,
}

#[derive(Debug, Clone)]
struct Param {
    name: String,
    slot: Slot,
    in_query: bool,
}

/// How a signed operation takes the token.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Credential {
    Bearer,
    /// In this query parameter (a WebSocket a browser opens cannot send headers).
    Query(String),
}

#[derive(Debug, Clone)]
struct Op {
    method: Method,
    path: String,
    access: Access,
    credential: Credential,
    params: Vec<Param>,
    body: Body,
    /// Answers with a WebSocket (101): the call asks for the upgrade.
    upgrade: bool,
}

impl Op {
    fn key(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    /// The record kinds its parameters name (tenant, file and its key count as one each).
    fn kinds(&self) -> Vec<Kind> {
        let kinds: BTreeSet<Kind> = self
            .params
            .iter()
            .filter_map(|p| match p.slot {
                Slot::Record(k, _) => Some(k),
                _ => None,
            })
            .collect();
        kinds.into_iter().collect()
    }

    /// Whether a record named in the path is looked up, so a check may depend on it.
    fn names_a_record(&self) -> bool {
        self.params
            .iter()
            .any(|p| !p.in_query && matches!(p.slot, Slot::Record(k, _) if k != Kind::Tenant))
    }

    fn holds(&self, perms: &BTreeSet<String>) -> bool {
        match &self.access {
            Access::Public => true,
            Access::Signed(any_of) => any_of.is_empty() || any_of.iter().any(|p| perms.contains(p)),
        }
    }
}

/// Every operation of the live document, in the order the matrix runs them: deletions after
/// everything else (children before parents) and the end of the session last.
fn operations() -> Vec<Op> {
    let (_, doc) = switchboard_server::api::routes();
    let doc = serde_json::to_value(&doc).unwrap();
    let mut problems = Vec::new();
    let mut schemes = HashMap::new();
    for (name, scheme) in doc["components"]["securitySchemes"].as_object().unwrap() {
        let credential = match (
            scheme["type"].as_str(),
            scheme["scheme"].as_str(),
            scheme["in"].as_str(),
        ) {
            (Some("http"), Some("bearer"), _) => Credential::Bearer,
            (Some("apiKey"), _, Some("query")) => {
                Credential::Query(scheme["name"].as_str().unwrap().to_owned())
            }
            _ => {
                problems.push(format!(
                    "security scheme `{name}` is neither a bearer header nor a query key"
                ));
                continue;
            }
        };
        schemes.insert(name.clone(), credential);
    }
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Ok(method) = method.to_uppercase().parse::<Method>() else {
                continue;
            };
            let here = format!("{method} {path}");
            let mut credential = Credential::Bearer;
            let access = match op.get("security").and_then(Value::as_array) {
                None => Access::Public,
                Some(reqs) if reqs.is_empty() => Access::Public,
                Some(reqs) => {
                    let mut any_of = Vec::new();
                    let mut open = false;
                    for req in reqs {
                        let req = req.as_object().unwrap();
                        for (scheme, scopes) in req {
                            match schemes.get(scheme) {
                                Some(c) => credential = c.clone(),
                                None => problems
                                    .push(format!("{here}: unknown security scheme `{scheme}`")),
                            }
                            let scopes = scopes.as_array().unwrap();
                            match scopes.len() {
                                0 => open = true,
                                1 => any_of.push(scopes[0].as_str().unwrap().to_owned()),
                                _ => problems.push(format!(
                                    "{here}: a requirement lists several permissions; one endpoint checks one"
                                )),
                            }
                        }
                    }
                    for p in &any_of {
                        if Permission::from_code(p).is_none() {
                            problems.push(format!("{here}: `{p}` is no permission code"));
                        }
                    }
                    if open && !any_of.is_empty() {
                        problems.push(format!(
                            "{here}: declares both any signed-in user and a permission"
                        ));
                    }
                    Access::Signed(if open { Vec::new() } else { any_of })
                }
            };
            let in_template: Vec<String> = path
                .split('/')
                .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
                .map(str::to_owned)
                .collect();
            let mut params = Vec::new();
            for name in &in_template {
                match slot(path, name) {
                    Some(slot) => params.push(Param {
                        name: name.clone(),
                        slot,
                        in_query: false,
                    }),
                    None => problems.push(format!(
                        "{here}: path parameter `{name}` names no record kind the matrix knows; \
                         add a fixture for it to tests/api/matrix.rs (`slot`, `Fixtures::create`)"
                    )),
                }
            }
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().unwrap();
                let required = p["required"].as_bool().unwrap_or(false);
                if credential == Credential::Query(name.to_owned()) {
                    continue;
                }
                match p["in"].as_str().unwrap() {
                    "path" if !in_template.iter().any(|n| n == name) => problems.push(format!(
                        "{here}: declares path parameter `{name}`, which its path does not have \
                         (a query struct needs #[into_params(parameter_in = Query)])"
                    )),
                    "query" => match slot(path, name) {
                        Some(slot) => params.push(Param {
                            name: name.to_owned(),
                            slot,
                            in_query: true,
                        }),
                        None if required => problems.push(format!(
                            "{here}: required query parameter `{name}` has no value in the matrix; \
                             add it to tests/api/matrix.rs (`slot`)"
                        )),
                        None => {}
                    },
                    _ => {}
                }
            }
            let content = &op["requestBody"]["content"];
            let body = if content.get("application/json").is_some() {
                Body::Json
            } else if content.get("multipart/form-data").is_some() {
                Body::Form
            } else {
                Body::None
            };
            ops.push(Op {
                method,
                path: path.clone(),
                access,
                credential,
                params,
                body,
                upgrade: op["responses"].get("101").is_some(),
            });
        }
    }
    assert!(
        problems.is_empty(),
        "the matrix cannot read the document:\n{}",
        problems.join("\n")
    );
    ops.sort_by_key(|op| {
        (
            op.key() == ENDS_SESSION,
            op.method == Method::DELETE,
            std::cmp::Reverse(op.path.matches('/').count()),
            op.path.clone(),
        )
    });
    ops
}

/// One record: its id, and the name or key a public URL uses.
#[derive(Debug, Clone, Default)]
struct Record {
    id: String,
    name: String,
    key: String,
}

/// One record of each kind in one tenant, made through the API by its admin.
struct Fixtures {
    records: HashMap<Kind, Record>,
    action: String,
    /// Text in every name this tenant's fixtures carry.
    marker: String,
    /// The customer's socket, kept open so the conversation stays as it is.
    _customer: Socket,
}

fn id_of(v: &Value) -> String {
    v["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {v}"))
        .to_owned()
}

impl Fixtures {
    async fn create(app: &TestApp, tenant: &str, admin: &str, marker: &str) -> Fixtures {
        let mut records = HashMap::new();
        let mut add = |kind, id: String| {
            records.insert(
                kind,
                Record {
                    id,
                    ..Record::default()
                },
            );
        };
        let made = |what: &'static str, (status, body): (StatusCode, Value)| {
            assert!(status.is_success(), "fixture {what}: {status} {body}");
            body
        };
        let queue = made(
            "queue",
            app.post(
                admin,
                "/api/v1/queues",
                json!({ "name": format!("{marker} queue"), "channel": "chat" }),
            )
            .await,
        );
        add(Kind::Queue, id_of(&queue));
        let tag = made(
            "tag",
            app.post(
                admin,
                "/api/v1/tags",
                json!({ "name": format!("{marker} tag") }),
            )
            .await,
        );
        add(Kind::Tag, id_of(&tag));
        let role = made(
            "role",
            app.post(
                admin,
                "/api/v1/roles",
                json!({ "name": format!("{marker} role"), "permissions": [] }),
            )
            .await,
        );
        add(Kind::Role, id_of(&role));
        let user = made("user", app.post(admin, "/api/v1/users", json!({
            "login": "victim", "real_name": format!("{marker} victim"), "display_name": format!("{marker} victim"),
            "chat_limit": 1, "roles": ["agent"], "password": "victim-password",
        })).await);
        add(Kind::User, id_of(&user));
        let entry_name = format!("{}-web", marker.to_lowercase());
        let entry = made(
            "chat entry",
            app.post(
                admin,
                "/api/v1/chat-entries",
                json!({ "name": entry_name, "title": format!("{marker} chat"), "queue_id": id_of(&queue) }),
            )
            .await,
        );
        let reply = made(
            "canned reply",
            app.post(
                admin,
                "/api/v1/canned-replies",
                json!({ "scope": "team", "title": format!("{marker} reply"), "text": format!("{marker} text") }),
            )
            .await,
        );
        add(Kind::CannedReply, id_of(&reply));
        let document = made(
            "document",
            app.post(
                admin,
                "/api/v1/documents",
                json!({ "title": format!("{marker} document"), "url": format!("https://example.com/{marker}") }),
            )
            .await,
        );
        add(Kind::Document, id_of(&document));
        let customer_record = made(
            "customer",
            app.post(
                admin,
                "/api/v1/customers",
                json!({ "name": format!("{marker} customer"), "notes": format!("{marker} notes") }),
            )
            .await,
        );
        add(Kind::Customer, id_of(&customer_record));
        let category = made(
            "ticket category",
            app.post(
                admin,
                "/api/v1/ticket-categories",
                json!({ "name": format!("{marker} category") }),
            )
            .await,
        );
        add(Kind::Category, id_of(&category));
        let ticket_type = made(
            "ticket type",
            app.post(
                admin,
                "/api/v1/ticket-types",
                json!({ "name": format!("{marker} type"), "fields": null }),
            )
            .await,
        );
        add(Kind::TicketType, id_of(&ticket_type));
        let action = ticket_type["workflow"]["actions"][0]["code"]
            .as_str()
            .unwrap()
            .to_owned();
        let template = made(
            "ticket template",
            app.post(
                admin,
                "/api/v1/ticket-templates",
                json!({ "type_id": id_of(&ticket_type), "name": format!("{marker} template"), "fields": [{ "code": "title" }] }),
            )
            .await,
        );
        add(Kind::Template, id_of(&template));
        let view = made(
            "ticket view",
            app.post(
                admin,
                "/api/v1/ticket-views",
                json!({ "name": format!("{marker} view"), "shared": true, "filters": {} }),
            )
            .await,
        );
        add(Kind::View, id_of(&view));
        let ticket = made(
            "ticket",
            app.post(
                admin,
                "/api/v1/tickets",
                json!({ "type_id": id_of(&ticket_type), "template_id": id_of(&template),
                    "category_id": id_of(&category), "fields": { "title": format!("{marker} ticket") } }),
            )
            .await,
        );
        add(Kind::Ticket, id_of(&ticket));
        let in_a_day =
            time::OffsetDateTime::from_unix_timestamp(app.clock.now_ms() / 1000 + 86_400)
                .unwrap()
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap();
        let reminder = made(
            "reminder",
            app.post(
                admin,
                &format!("/api/v1/tickets/{}/reminders", id_of(&ticket)),
                json!({ "at": in_a_day, "note": format!("{marker} reminder") }),
            )
            .await,
        );
        add(Kind::Reminder, id_of(&reminder));
        let (status, body) = app
            .put(
                admin,
                &format!("/api/v1/voice/extensions/{}", id_of(&user)),
                json!({ "number": "2001", "password": format!("{marker}-sip-password") }),
            )
            .await;
        made("extension", (status, body));
        let trunk = made(
            "trunk",
            app.post(
                admin,
                "/api/v1/voice/trunks",
                json!({ "name": format!("{marker} trunk"), "peers": ["192.0.2.1"] }),
            )
            .await,
        );
        add(Kind::Trunk, id_of(&trunk));
        let number = made(
            "hotline number",
            app.post(
                admin,
                "/api/v1/voice/numbers",
                json!({ "number": "4100", "route": { "kind": "extension", "number": "2001" } }),
            )
            .await,
        );
        add(Kind::HotlineNumber, id_of(&number));
        let group = made(
            "number group",
            app.post(
                admin,
                "/api/v1/voice/number-groups",
                json!({ "name": format!("{marker} group") }),
            )
            .await,
        );
        add(Kind::NumberGroup, id_of(&group));
        // Disabled, so its test delivery waits in the log unchanged while the matrix runs.
        let webhook = made(
            "webhook",
            app.post(
                admin,
                "/api/v1/webhooks",
                json!({ "url": "http://127.0.0.1:9/hook", "description": format!("{marker} webhook"), "events": ["contact.created"], "enabled": false }),
            )
            .await,
        );
        let webhook_id = id_of(&webhook["webhook"]);
        let delivery = made(
            "webhook delivery",
            app.post(
                admin,
                &format!("/api/v1/webhooks/{webhook_id}/ping"),
                json!({}),
            )
            .await,
        );
        add(Kind::Webhook, webhook_id);
        add(Kind::Delivery, id_of(&delivery));
        let flow = made(
            "IVR flow",
            app.post(
                admin,
                "/api/v1/voice/flows",
                json!({ "name": format!("{marker} flow"), "definition": {
                    "start": "bye", "nodes": { "bye": { "type": "hangup", "label": format!("{marker} bye") } } } }),
            )
            .await,
        );
        add(Kind::Flow, id_of(&flow));
        let wav = crate::voice_prompts::tone_wav(8_000, 1, 440.0, 0.5);
        let (status, prompt) = crate::voice_prompts::upload(
            app,
            admin,
            ("p.wav", wav),
            Some(&format!("{marker} prompt")),
        )
        .await;
        let prompt = made("prompt", (status, prompt));
        add(Kind::Prompt, id_of(&prompt));
        // A call record, as the SIP runtime writes them: answered by the fixture user.
        let tenant_id = app
            .store
            .tenant_by_name(&switchboard_engine::TenantName::parse(tenant).unwrap())
            .await
            .unwrap()
            .unwrap()
            .id;
        let now = app.clock.now_ms();
        let call = switchboard_storage::CallRecord {
            id: uuid::Uuid::now_v7(),
            caller: format!("{marker} 13800138000"),
            dialled: "4000".into(),
            direction: switchboard_storage::CallDirection::Inbound,
            started_at: now,
            answered_at: Some(now + 1_000),
            ended_at: Some(now + 9_000),
            queue: Some(switchboard_engine::SkillQueueId(
                id_of(&queue).parse().unwrap(),
            )),
            queued_at: Some(now),
            wait_ms: Some(1_000),
            agent: Some(switchboard_engine::UserId(id_of(&user).parse().unwrap())),
            released_by: Some(switchboard_storage::CallReleasedBy::Caller),
            end_status: Some(200),
            contact: None,
            recording: true,
            recording_ms: Some(8_000),
            ivr_path: String::new(),
            variables: Vec::new(),
            survey: None,
            survey_score: None,
            handoffs: Vec::new(),
        };
        app.store.save_call_record(tenant_id, &call).await.unwrap();
        add(Kind::Call, call.id.to_string());

        // A customer's conversation with one message and one file.
        let url = format!(
            "ws://{}/api/v1/chat/{tenant}/{entry_name}/ws?visitor={VISITOR}",
            app.addr
        );
        let mut customer = tokio_tungstenite::connect_async(url).await.unwrap().0;
        send(
            &mut customer,
            json!({ "type": "start", "name": format!("{marker} customer"), "question": format!("{marker} question") }),
        )
        .await;
        let conversation = id_of(&next_of(&mut customer, &["conversation"]).await);
        let message = id_of(&next_of(&mut customer, &["ack"]).await);
        add(Kind::Contact, conversation.clone());
        // A scorecard, and a review of the conversation as the fixture user's (written as
        // storage keeps it: a review needs a closed contact through the API).
        let scorecard = made(
            "scorecard",
            app.post(
                admin,
                "/api/v1/quality/scorecards",
                json!({ "name": format!("{marker} scorecard"), "sections": [{ "name": format!("{marker} section"),
                    "items": [{ "label": format!("{marker} item"), "weight": 100, "scale": "yes_no" }] }] }),
            )
            .await,
        );
        add(Kind::Scorecard, id_of(&scorecard));
        let victim = switchboard_engine::UserId(id_of(&user).parse().unwrap());
        let review = switchboard_storage::Review {
            id: switchboard_engine::ReviewId::new(),
            contact: switchboard_engine::ContactId(conversation.parse().unwrap()),
            agent: victim,
            queue: switchboard_engine::SkillQueueId(id_of(&queue).parse().unwrap()),
            channel: switchboard_engine::Channel::Chat,
            scorecard: switchboard_engine::ScorecardId(id_of(&scorecard).parse().unwrap()),
            version: 1,
            reviewer: victim,
            status: switchboard_engine::quality::ReviewStatus::Submitted,
            answers: vec![switchboard_engine::quality::Answer {
                points: Some(1),
                comment: format!("{marker} comment"),
            }],
            comment: format!("{marker} overall"),
            score: Some(switchboard_engine::quality::Score {
                centi: 10_000,
                failed_critical: false,
            }),
            dispute_reason: None,
            dispute_end: None,
            contact_at: now,
            created_at: now,
            updated_at: now,
            submitted_at: Some(now),
            acknowledged_at: None,
            disputed_at: None,
            resolved_at: None,
        };
        app.store.create_review(tenant_id, &review).await.unwrap();
        add(Kind::Review, review.id.to_string());
        add(Kind::Message, message);
        let form = Form::new().part(
            "file",
            Part::bytes(format!("{marker} file").into_bytes()).file_name("note.txt"),
        );
        let res = app
            .client
            .post(app.url(&format!(
                "/api/v1/chat/{tenant}/{entry_name}/files?visitor={VISITOR}&conversation={conversation}"
            )))
            .multipart(form)
            .send()
            .await
            .unwrap();
        let file = made(
            "file",
            (res.status(), res.json::<Value>().await.unwrap_or_default()),
        );
        let link = file["body"]["url"].as_str().unwrap().to_owned();
        let key = link.split("key=").nth(1).unwrap().to_owned();
        records.insert(
            Kind::File,
            Record {
                id: file["body"]["file_id"].as_str().unwrap().to_owned(),
                key,
                ..Record::default()
            },
        );
        records.insert(
            Kind::Entry,
            Record {
                id: id_of(&entry),
                name: entry_name,
                ..Record::default()
            },
        );
        records.insert(
            Kind::Tenant,
            Record {
                name: tenant.to_owned(),
                ..Record::default()
            },
        );
        Fixtures {
            records,
            action,
            marker: marker.to_owned(),
            _customer: customer,
        }
    }

    fn record(&self, kind: Kind) -> &Record {
        &self.records[&kind]
    }

    /// Strings no answer to the other tenant may contain.
    fn secrets(&self) -> Vec<String> {
        let mut secrets = vec![self.marker.clone()];
        for (kind, r) in &self.records {
            if *kind != Kind::Tenant {
                let parts = [r.id.clone(), r.name.clone(), r.key.clone()];
                secrets.extend(parts.into_iter().filter(|s| !s.is_empty()));
            }
        }
        secrets
    }
}

/// Which records a call names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Own,
    /// These kinds from the other tenant, the rest the caller's own.
    Foreign(Vec<Kind>),
    /// These kinds made up (no such record anywhere), the rest the caller's own.
    Absent(Vec<Kind>),
}

impl Target {
    fn describe(&self) -> String {
        match self {
            Target::Own => "own records".into(),
            Target::Foreign(k) => format!("other tenant's {k:?}"),
            Target::Absent(k) => format!("made-up {k:?}"),
        }
    }
}

/// The kinds an operation is called with from the other tenant: one at a time, and all at
/// once when several are named (not for public operations, where all of the other tenant's
/// records together are simply that tenant's own request).
fn foreign_kinds(op: &Op) -> Vec<Vec<Kind>> {
    let kinds = op.kinds();
    let mut sets: Vec<Vec<Kind>> = kinds.iter().map(|k| vec![*k]).collect();
    if kinds.len() > 1 && op.access != Access::Public {
        sets.push(kinds);
    }
    sets
}

fn url(op: &Op, target: &Target, own: &Fixtures, other: &Fixtures) -> String {
    let value = |slot: Slot| -> String {
        let (kind, field) = match slot {
            Slot::ActionCode => return own.action.clone(),
            Slot::ExportFormat => return "csv".into(),
            Slot::Visitor => return VISITOR.into(),
            Slot::BuiltinPrompt => return "zh-welcome".into(),
            Slot::ServiceTab => return "open".into(),
            Slot::Date => return "2026-01-05".into(),
            Slot::Moment => return "2026-01-05 10:42".into(),
            Slot::Record(kind, field) => (kind, field),
        };
        let record = match target {
            Target::Foreign(kinds) if kinds.contains(&kind) => other.record(kind).clone(),
            Target::Absent(kinds) if kinds.contains(&kind) => Record {
                id: uuid::Uuid::new_v4().to_string(),
                name: "no-such-name".into(),
                key: "no-such-key".into(),
            },
            _ => own.record(kind).clone(),
        };
        match field {
            Field::Id => record.id,
            Field::Name => record.name,
            Field::Key => record.key,
        }
    };
    let mut path = op.path.clone();
    let mut query = Vec::new();
    for p in &op.params {
        let v = value(p.slot);
        if p.in_query {
            query.push(format!("{}={v}", p.name));
        } else {
            path = path.replace(&format!("{{{}}}", p.name), &v);
        }
    }
    if !query.is_empty() {
        path = format!("{path}?{}", query.join("&"));
    }
    path
}

struct Reply {
    status: StatusCode,
    code: String,
    message: String,
    text: String,
}

impl Reply {
    /// The permission a 403 says is missing.
    fn missing_permission(&self) -> Option<&str> {
        if self.status != StatusCode::FORBIDDEN || self.code != "forbidden" {
            return None;
        }
        self.message
            .strip_prefix("this needs the permission '")?
            .strip_suffix('\'')
    }

    /// What `shown` shows, without the server's clock readings (the live view's time, the
    /// wallboard's moment), which move between two reads.
    fn stable(&self) -> String {
        let Ok(mut value) = serde_json::from_str::<serde_json::Value>(&self.text) else {
            return self.shown();
        };
        if let Some(map) = value.as_object_mut() {
            map.remove("server_time");
            map.remove("at");
        }
        let text: String = value.to_string().chars().take(300).collect();
        format!("{} {text}", self.status.as_u16())
    }

    fn shown(&self) -> String {
        let text: String = self.text.chars().take(300).collect();
        format!("{} {text}", self.status.as_u16())
    }
}

async fn call(app: &TestApp, op: &Op, token: Option<&str>, path: &str) -> Reply {
    let mut url = app.url(path);
    if let (Some(token), Credential::Query(name)) = (token, &op.credential) {
        let sep = if url.contains('?') { '&' } else { '?' };
        url = format!("{url}{sep}{name}={token}");
    }
    let mut req = app.client.request(op.method.clone(), url);
    if let (Some(token), Credential::Bearer) = (token, &op.credential) {
        req = req.bearer_auth(token);
    }
    if op.upgrade {
        req = req
            .header("connection", "upgrade")
            .header("upgrade", "websocket")
            .header("sec-websocket-version", "13")
            .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==");
    }
    req = match op.body {
        Body::None => req,
        Body::Json => req.json(&json!({})),
        Body::Form => req.multipart(Form::new()),
    };
    let res = req.send().await.unwrap();
    let status = res.status();
    if status == StatusCode::SWITCHING_PROTOCOLS {
        return Reply {
            status,
            code: String::new(),
            message: String::new(),
            text: String::new(),
        };
    }
    let bytes = res.bytes().await.unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Reply {
        status,
        code: body["code"].as_str().unwrap_or_default().to_owned(),
        message: body["message"].as_str().unwrap_or_default().to_owned(),
        text,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    Anonymous,
    /// Signed in, the forced password change not yet done.
    Pending,
    Ready,
}

struct Identity {
    label: String,
    token: Option<String>,
    standing: Standing,
    perms: BTreeSet<String>,
}

/// The callers in the demo tenant: anonymous, a user owing the password change, one user of
/// every built-in role, one holding nothing and one holding each single permission.
async fn identities(app: &TestApp, admin: &str) -> Vec<Identity> {
    let mut wanted: Vec<(String, String)> = BuiltinRole::ALL
        .iter()
        .map(|r| (format!("m-{}", r.name()), r.name().to_owned()))
        .collect();
    let mut custom = vec![("nothing".to_owned(), Vec::new())];
    custom.extend(
        Permission::ALL
            .iter()
            .map(|p| (format!("only {}", p.code()), vec![p.code()])),
    );
    for (i, (role, perms)) in custom.iter().enumerate() {
        let (status, body) = app
            .post(
                admin,
                "/api/v1/roles",
                json!({ "name": role, "permissions": perms }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        wanted.push((format!("m-role{i}"), role.clone()));
    }
    let (_, roles) = app.get(admin, "/api/v1/roles").await;
    let perms_of: HashMap<String, BTreeSet<String>> = roles
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let perms = r["permissions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_str().unwrap().to_owned())
                .collect();
            (r["name"].as_str().unwrap().to_owned(), perms)
        })
        .collect();
    let mut out = vec![Identity {
        label: "anonymous".into(),
        token: None,
        standing: Standing::Anonymous,
        perms: BTreeSet::new(),
    }];
    app.create_user(admin, "m-pending", &["agent"], "initial-pass")
        .await;
    out.push(Identity {
        label: "agent owing the password change".into(),
        token: Some(app.token("demo", "m-pending", "initial-pass").await),
        standing: Standing::Pending,
        perms: perms_of["agent"].clone(),
    });
    for (login, role) in wanted {
        out.push(Identity {
            label: format!("role `{role}`"),
            token: Some(app.ready_user(admin, &login, &[&role]).await),
            standing: Standing::Ready,
            perms: perms_of[&role].clone(),
        });
    }
    out
}

/// Every signed read of the tenant as its admin sees it, keyed by operation.
async fn snapshot(
    app: &TestApp,
    ops: &[Op],
    token: &str,
    own: &Fixtures,
    other: &Fixtures,
) -> BTreeMap<String, String> {
    let mut seen = BTreeMap::new();
    for op in ops {
        if op.method == Method::GET && op.access != Access::Public {
            let path = url(op, &Target::Own, own, other);
            seen.insert(
                path.clone(),
                call(app, op, Some(token), &path).await.stable(),
            );
        }
    }
    seen
}

struct Run<'a> {
    app: &'a TestApp,
    own: &'a Fixtures,
    other: &'a Fixtures,
    secrets: Vec<String>,
    failures: Vec<String>,
    calls: usize,
}

impl Run<'_> {
    async fn call(&mut self, op: &Op, who: &Identity, target: &Target) -> Reply {
        let path = url(op, target, self.own, self.other);
        let reply = call(self.app, op, who.token.as_deref(), &path).await;
        self.calls += 1;
        let mut problems = Vec::new();
        if reply.status.is_server_error() {
            problems.push("a 5xx".to_owned());
        }
        if reply.status.is_client_error() {
            if let Some(word) = DATABASE_WORDS.iter().find(|w| reply.message.contains(*w)) {
                problems.push(format!(
                    "the message shows the database's own words (`{word}`)"
                ));
            }
        }
        // Foreign targets put the other tenant's ids in the URL; an answer may echo the URL.
        let echoed: Vec<&str> = path.split(['/', '?', '&', '=']).collect();
        if let Some(secret) = self
            .secrets
            .iter()
            .find(|s| reply.text.contains(s.as_str()) && !echoed.contains(&s.as_str()))
        {
            problems.push(format!("shows the other tenant's `{secret}`"));
        }
        for what in problems {
            self.fail(op, who, target, &what, &reply);
        }
        reply
    }

    fn fail(&mut self, op: &Op, who: &Identity, target: &Target, what: &str, reply: &Reply) {
        self.failures.push(format!(
            "{} as {} on {}: {what}; got {}",
            op.key(),
            who.label,
            target.describe(),
            reply.shown()
        ));
    }

    /// Anonymous on a signed operation, someone owing the password change, someone without
    /// the permission: refused the same way whatever records are named.
    async fn refused(&mut self, op: &Op, who: &Identity, targets: &[Target]) {
        for target in targets {
            let reply = self.call(op, who, target).await;
            let (status, code) = match who.standing {
                Standing::Anonymous => (StatusCode::UNAUTHORIZED, "unauthenticated"),
                Standing::Pending => (StatusCode::FORBIDDEN, "password_change_required"),
                Standing::Ready => (StatusCode::FORBIDDEN, "forbidden"),
            };
            if reply.status != status || reply.code != code {
                self.fail(
                    op,
                    who,
                    target,
                    &format!("expected {} {code}", status.as_u16()),
                    &reply,
                );
                continue;
            }
            if let (Standing::Ready, Access::Signed(any_of)) = (who.standing, &op.access) {
                let named = reply.missing_permission().unwrap_or_default();
                if !any_of.iter().any(|p| p == named) {
                    self.fail(
                        op,
                        who,
                        target,
                        &format!("expected the refusal to name one of {any_of:?}"),
                        &reply,
                    );
                }
            }
        }
    }

    /// A caller the operation admits: other tenant's records are as if absent; own records
    /// are not refused for the declared permission.
    async fn admitted(&mut self, op: &Op, who: &Identity) {
        for kinds in foreign_kinds(op) {
            let foreign = Target::Foreign(kinds.clone());
            let got = self.call(op, who, &foreign).await;
            let like = self.call(op, who, &Target::Absent(kinds.clone())).await;
            // A record named in the path is the thing acted on; one named in the query
            // filters, and filtering by a record that does not exist may well succeed.
            let acted_on = op
                .params
                .iter()
                .any(|p| !p.in_query && matches!(p.slot, Slot::Record(k, _) if kinds.contains(&k)));
            if got.status.is_success() && (acted_on || got.text != like.text) {
                self.fail(op, who, &foreign, "succeeded", &got);
            } else if (got.status, &got.code) != (like.status, &like.code) {
                let what = format!(
                    "answers unlike a record that does not exist ({} {})",
                    like.status.as_u16(),
                    like.code
                );
                self.fail(op, who, &foreign, &what, &got);
            }
        }
        let reply = self.call(op, who, &Target::Own).await;
        if who.standing == Standing::Anonymous {
            return;
        }
        if reply.status == StatusCode::UNAUTHORIZED {
            self.fail(op, who, &Target::Own, "the session is gone", &reply);
        }
        if reply.code == "password_change_required" {
            self.fail(
                op,
                who,
                &Target::Own,
                "refused before the password change, which this operation must allow",
                &reply,
            );
        }
        if let (Some(named), Access::Signed(any_of)) = (reply.missing_permission(), &op.access) {
            if any_of.iter().any(|p| p == named) {
                self.fail(
                    op,
                    who,
                    &Target::Own,
                    "refused a caller holding the declared permission",
                    &reply,
                );
            } else if !op.names_a_record() {
                let what = format!("enforces `{named}`, which the document does not declare");
                self.fail(op, who, &Target::Own, &what, &reply);
            }
        }
    }
}

async fn every_operation_as_every_identity_keeps_tenants_apart_and_permissions_held(app: TestApp) {
    let started = Instant::now();
    let ops = operations();
    let beta_admin = crate::isolation::second_tenant(&app).await;
    let admin = app.admin().await;
    let own = Fixtures::create(&app, "demo", &admin, "Xk3").await;
    let other = Fixtures::create(&app, "beta", &beta_admin, "Zq7").await;
    let who = identities(&app, &admin).await;
    let before = snapshot(&app, &ops, &beta_admin, &other, &own).await;
    let set_up = started.elapsed();

    let mut run = Run {
        app: &app,
        own: &own,
        other: &other,
        secrets: other.secrets(),
        failures: Vec::new(),
        calls: 0,
    };
    for op in &ops {
        let mut refused_targets = vec![Target::Own];
        refused_targets.extend(foreign_kinds(op).into_iter().map(Target::Foreign));
        for id in &who {
            let pending_ok = BEFORE_PASSWORD_CHANGE.contains(&op.key().as_str());
            match (&op.access, id.standing) {
                (Access::Public, Standing::Anonymous) => run.admitted(op, id).await,
                // Public operations ignore who calls; once is enough.
                (Access::Public, _) => {}
                (Access::Signed(_), Standing::Anonymous) => {
                    run.refused(op, id, &refused_targets[..1]).await
                }
                (Access::Signed(_), Standing::Pending) if pending_ok => run.admitted(op, id).await,
                (Access::Signed(_), Standing::Pending) => {
                    run.refused(op, id, &refused_targets[..1]).await
                }
                (Access::Signed(_), Standing::Ready) if op.holds(&id.perms) => {
                    run.admitted(op, id).await
                }
                (Access::Signed(_), Standing::Ready) => run.refused(op, id, &refused_targets).await,
            }
        }
    }
    let calls = run.calls;
    let mut failures = std::mem::take(&mut run.failures);

    let after = snapshot(&app, &ops, &beta_admin, &other, &own).await;
    for (path, was) in &before {
        if after.get(path) != Some(was) {
            failures.push(format!(
                "the other tenant's GET {path} changed:\n  before {was}\n  after  {}",
                after.get(path).map_or("-", String::as_str)
            ));
        }
    }
    println!(
        "matrix: {} operations × {} identities, {calls} calls in {:.1?} (set-up {:.1?})",
        ops.len(),
        who.len(),
        started.elapsed(),
        set_up
    );
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

on_both!(every_operation_as_every_identity_keeps_tenants_apart_and_permissions_held);
