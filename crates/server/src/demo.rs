//! The demo tenant for `serve --demo`: seeded idempotently, so restarting with `--demo`
//! tops up what is missing and never duplicates or overwrites.

use switchboard_engine::{
    AgentParams, BuiltinRole, Channel, ChatLimit, LoginName, Password, PersonName, QueuePriority,
    RoutingStrategy, SkillLevel, SkillQueueName, TagName, TenantName,
};
use switchboard_storage::{NewUser, QueueAgent, SkillQueueSpec, Storage};

use crate::passwords::hash_password;

pub mod history;
mod traffic;

pub const TENANT: &str = "demo";
pub const PASSWORD: &str = "switchboard";

/// (login, real name, display name, role)
pub const ACCOUNTS: [(&str, &str, &str, BuiltinRole); 5] = [
    ("admin", "系统管理员", "Admin", BuiltinRole::Admin),
    (
        "supervisor",
        "王主管",
        "Supervisor Wang",
        BuiltinRole::Supervisor,
    ),
    ("agent1", "李小红", "小红 Xiaohong", BuiltinRole::Agent),
    ("agent2", "张伟", "小张 Zhang Wei", BuiltinRole::Agent),
    ("agent3", "陈静", "小陈 Chen Jing", BuiltinRole::Agent),
];

/// Agents bound to a demo queue: (login, skill level).
type Bound = &'static [(&'static str, u32)];

/// (name, channel, priority, bound agents)
const QUEUES: [(&str, Channel, u32, Bound); 4] = [
    (
        "售前咨询 Presales",
        Channel::Voice,
        60,
        &[("agent1", 8), ("agent3", 5), ("supervisor", 9)],
    ),
    (
        "售后服务 After-sales",
        Channel::Voice,
        50,
        &[("agent2", 8), ("agent3", 6), ("supervisor", 9)],
    ),
    (
        "在线客服 Online chat",
        Channel::Chat,
        50,
        &[("agent1", 6), ("agent2", 6), ("agent3", 9)],
    ),
    (
        "工单任务 Tasks",
        Channel::Task,
        40,
        &[("agent1", 5), ("agent2", 5), ("agent3", 5)],
    ),
];

const TAGS: [&str; 3] = ["VIP", "投诉 Complaint", "物流 Logistics"];

/// The agents' SIP extensions (login, extension); each phone's SIP password is [`PASSWORD`].
pub const EXTENSIONS: [(&str, &str); 3] =
    [("agent1", "1001"), ("agent2", "1002"), ("agent3", "1003")];

/// The trunk that accepts calls from this machine (a softphone or test tool as the carrier).
pub const TRUNK: (&str, &str) = ("local", "127.0.0.1");

/// The IVR hotline: its menu sends 1 to pre-sales, 2 to after-sales, 0 to the operator's
/// extension (agent1's); business hours are always open.
pub const IVR_HOTLINE: &str = "4000";
/// The name of the demo's menu flow.
pub const IVR_FLOW: &str = "主菜单 Main menu";
/// The voice queue whose callers hear their place in line and may leave a message, and the
/// task queue the messages become callbacks in (named by their starts).
pub const ANNOUNCED: (&str, &str) = ("售后服务", "工单任务");
/// Hotline numbers routed straight to a voice queue (named by its start).
pub const HOTLINES: [(&str, &str); 1] = [("4001", "售后服务")];

/// What `serve --demo` prints about phones, beside the accounts.
pub fn voice_lines() -> Vec<String> {
    let mut lines = vec![format!(
        "phones: SIP domain (and digest realm) '{TENANT}', password {PASSWORD} for every extension"
    )];
    for (login, number) in EXTENSIONS {
        lines.push(format!("  extension {number}  {login}"));
    }
    lines.push(format!(
        "  trunk '{}' accepts calls from {}",
        TRUNK.0, TRUNK.1
    ));
    lines.push(format!(
        "  hotline {IVR_HOTLINE}  → IVR menu: 1 售前 presales, 2 售后 after-sales, 0 operator (extension 1001)"
    ));
    for (number, queue) in HOTLINES {
        let name = QUEUES
            .iter()
            .find(|q| q.0.starts_with(queue))
            .map_or(queue, |q| q.0);
        lines.push(format!("  hotline {number}  → queue {name}"));
    }
    lines.push(format!(
        "  queue {}: place in line every 30 s; after the wait, voicemail → callback task in {}",
        ANNOUNCED.0, ANNOUNCED.1
    ));
    lines
}

/// Creates what is missing of the demo tenant; `now` stamps what it creates.
pub async fn seed(store: &dyn Storage, now: i64) -> anyhow::Result<()> {
    let name = TenantName::parse(TENANT)?;
    let tenant = match store.tenant_by_name(&name).await? {
        Some(t) => t,
        None => store.create_tenant(&name, "演示企业 Demo Co.", now).await?,
    };
    let roles = store.roles(tenant.id).await?;
    let existing = store.users(tenant.id).await?;
    let mut missing = Vec::new();
    for (login, real, display, role) in ACCOUNTS {
        if existing.iter().any(|u| u.login.as_str() == login) {
            continue;
        }
        let role_id = roles
            .iter()
            .find(|r| r.builtin && r.name.as_str() == role.name())
            .map(|r| r.id);
        missing.push(NewUser {
            login: LoginName::parse(login)?,
            real_name: PersonName::parse(real)?,
            display_name: PersonName::parse(display)?,
            chat_limit: ChatLimit::new(if role == BuiltinRole::Agent { 5 } else { 3 })?,
            role_ids: role_id.into_iter().collect(),
            password_hash: hash_password(&Password::parse(PASSWORD)?)?,
            // Demo accounts skip the forced change so the documented password keeps working.
            must_change_password: false,
            agent_params: AgentParams::default(),
        });
    }
    if !missing.is_empty() {
        store.create_users(tenant.id, &missing, now).await?;
    }
    let users = store.users(tenant.id).await?;
    let mut tags = store.tags(tenant.id).await?;
    for tag in TAGS {
        if !tags.iter().any(|t| t.name.as_str() == tag) {
            tags.push(store.create_tag(tenant.id, &TagName::parse(tag)?).await?);
        }
    }
    seed_queues(store, tenant.id, &users, &tags).await?;
    seed_chat_entry(store, tenant.id, now).await?;
    seed_voice(store, &tenant, &users, now).await?;
    seed_tickets(store, tenant.id, now).await
}

/// The demo ticket setup: a category tree, the type "售后工单 After-sales ticket" with an
/// address, an order number and a product field, an "escalate to tier 2" action, and a
/// template. Skipped when the tenant has ticket types already.
async fn seed_tickets(
    store: &dyn Storage,
    tenant: switchboard_engine::TenantId,
    now: i64,
) -> anyhow::Result<()> {
    use crate::api::tickets::schema::DefinitionJson;
    use switchboard_engine::ticket::{
        FieldCode, FieldDef, FieldKind, FieldOption, FieldType, TicketSchema, WorkflowAction,
    };
    if !store.ticket_types(tenant).await?.is_empty() {
        return Ok(());
    }
    let after_sales = category(None, "售后服务 After-sales", 0);
    for c in [
        after_sales.clone(),
        category(Some(after_sales.id), "退换货 Returns", 0),
        category(Some(after_sales.id), "维修 Repairs", 1),
        category(None, "咨询 Enquiries", 1),
    ] {
        store.save_ticket_category(tenant, &c).await?;
    }
    let code = |c: &str| FieldCode::parse(c).expect("demo code");
    let field = |c: &str, label: &str, field_type, options: Vec<FieldOption>| FieldDef {
        code: code(c),
        label: label.into(),
        kind: FieldKind::Business,
        field_type,
        required: false,
        options,
        default: None,
    };
    let option = |value: &str, label: &str| FieldOption {
        value: value.into(),
        label: label.into(),
        children: vec![],
    };
    let mut schema = TicketSchema::starter();
    schema.fields.extend([
        field("address", "地址 Address", FieldType::Address, vec![]),
        field("order_no", "订单号 Order no.", FieldType::Text, vec![]),
        field(
            "product",
            "产品 Product",
            FieldType::SingleSelect,
            vec![
                option("phone", "手机 Phone"),
                option("earbuds", "耳机 Earbuds"),
                option("watch", "手表 Watch"),
            ],
        ),
    ]);
    let queues = store.skill_queues(tenant).await?;
    let tier2 = queues
        .iter()
        .find(|q| q.spec.name.as_str().starts_with("售后服务"));
    schema.workflow.actions.push(WorkflowAction {
        code: code("escalate"),
        label: "升级二线 Escalate to tier 2".into(),
        from: vec![code("new"), code("processing")],
        to: code("new"),
        requires_note: true,
        required_fields: vec![],
        assign_group: tier2.map(|q| q.id),
    });
    schema
        .validate()
        .map_err(|e| anyhow::anyhow!("demo ticket type: {e}"))?;
    let ticket_type = DefinitionJson::new_type(
        "售后工单 After-sales ticket".into(),
        "退换货、维修与投诉 Returns, repairs and complaints".into(),
        true,
        &schema,
        now,
    );
    store.create_ticket_type(tenant, &ticket_type).await?;
    let layout = [
        ("title", "full"),
        ("customer", "half"),
        ("phone", "half"),
        ("product", "half"),
        ("order_no", "half"),
        ("address", "full"),
        ("priority", "half"),
        ("due_at", "half"),
        ("description", "full"),
    ]
    .map(|(code, width)| serde_json::json!({ "code": code, "width": width }));
    let template = switchboard_storage::TicketTemplate {
        id: switchboard_engine::TicketTemplateId::new(),
        type_id: ticket_type.id,
        name: "标准模板 Standard".into(),
        layout: serde_json::Value::from(layout.to_vec()).to_string(),
    };
    store.save_ticket_template(tenant, &template).await?;
    Ok(())
}

fn category(
    parent: Option<switchboard_engine::TicketCategoryId>,
    name: &str,
    position: i64,
) -> switchboard_storage::TicketCategory {
    switchboard_storage::TicketCategory {
        id: switchboard_engine::TicketCategoryId::new(),
        parent,
        name: name.into(),
        position,
    }
}

/// Extensions for the agents, the local trunk and the hotlines, each only when missing (and
/// its number or name free).
async fn seed_voice(
    store: &dyn Storage,
    tenant: &switchboard_storage::Tenant,
    users: &[switchboard_storage::User],
    now: i64,
) -> anyhow::Result<()> {
    use switchboard_sip::digest::{ha1, Algorithm};
    use switchboard_storage::{HotlineNumber, NumberRoute, SipExtension, SipTrunk};
    let realm = tenant.name.as_str();
    let extensions = store.sip_extensions(tenant.id).await?;
    for (login, number) in EXTENSIONS {
        let Some(user) = users.iter().find(|u| u.login.as_str() == login) else {
            continue;
        };
        if extensions
            .iter()
            .any(|e| e.agent == user.id || e.number == number)
        {
            continue;
        }
        let ext = SipExtension {
            agent: user.id,
            number: number.into(),
            ha1_md5: ha1(Algorithm::Md5, number, realm, PASSWORD),
            ha1_sha256: ha1(Algorithm::Sha256, number, realm, PASSWORD),
        };
        store.set_sip_extension(tenant.id, &ext, now).await?;
    }
    let (name, peer) = TRUNK;
    let peer: std::net::IpAddr = peer.parse()?;
    let trunks = store.sip_trunks(tenant.id).await?;
    if !trunks
        .iter()
        .any(|t| t.name == name || t.peers.contains(&peer))
    {
        let trunk = SipTrunk {
            id: switchboard_engine::SipTrunkId::new(),
            name: name.into(),
            peers: vec![peer],
            enabled: true,
            registration: None,
            outbound: None,
        };
        store.save_sip_trunk(tenant.id, &trunk, now).await?;
    }
    let numbers = store.hotline_numbers(tenant.id).await?;
    let queues = store.skill_queues(tenant.id).await?;
    for (number, queue) in HOTLINES {
        let Some(queue) = queues
            .iter()
            .find(|q| q.spec.channel == Channel::Voice && q.spec.name.as_str().starts_with(queue))
        else {
            continue;
        };
        if numbers.iter().any(|n| n.number == number) {
            continue;
        }
        let n = HotlineNumber {
            id: switchboard_engine::HotlineNumberId::new(),
            number: number.into(),
            inbound: true,
            survey: false,
            route: NumberRoute::Queue(queue.id),
            outbound: false,
            outbound_trunk: None,
        };
        store.save_hotline_number(tenant.id, &n, now).await?;
    }
    seed_queue_voice(store, tenant.id, &queues, now).await?;
    seed_ivr(store, tenant.id, &queues, &numbers, now).await
}

/// After-sales callers hear their place in line every 30 s (Chinese, then English), and
/// may leave a message when the wait runs out, which becomes a callback in the task queue.
async fn seed_queue_voice(
    store: &dyn Storage,
    tenant: switchboard_engine::TenantId,
    queues: &[switchboard_storage::SkillQueue],
    now: i64,
) -> anyhow::Result<()> {
    let find = |channel: Channel, start: &str| {
        queues
            .iter()
            .find(|q| q.spec.channel == channel && q.spec.name.as_str().starts_with(start))
            .map(|q| q.id)
    };
    let (Some(aftersales), Some(tasks)) = (
        find(Channel::Voice, ANNOUNCED.0),
        find(Channel::Task, ANNOUNCED.1),
    ) else {
        return Ok(());
    };
    if store
        .queue_voice(tenant)
        .await?
        .iter()
        .any(|q| q.queue == aftersales)
    {
        return Ok(());
    }
    let settings = switchboard_storage::QueueVoice {
        queue: aftersales,
        announce_every_s: Some(30),
        languages: vec!["zh".into(), "en".into()],
        voicemail: Some(switchboard_storage::VoicemailTo::Task(tasks)),
        voicemail_max_s: 120,
    };
    store.save_queue_voice(tenant, &settings, now).await?;
    Ok(())
}

/// The IVR hotline and its menu flow, when missing.
async fn seed_ivr(
    store: &dyn Storage,
    tenant: switchboard_engine::TenantId,
    queues: &[switchboard_storage::SkillQueue],
    numbers: &[switchboard_storage::HotlineNumber],
    now: i64,
) -> anyhow::Result<()> {
    use switchboard_storage::{HotlineNumber, IvrFlow, NumberRoute};
    if numbers.iter().any(|n| n.number == IVR_HOTLINE) {
        return Ok(());
    }
    let voice = |start: &str| {
        queues
            .iter()
            .find(|q| q.spec.channel == Channel::Voice && q.spec.name.as_str().starts_with(start))
            .map(|q| q.id)
    };
    let (Some(presales), Some(aftersales)) = (voice("售前咨询"), voice("售后服务")) else {
        return Ok(());
    };
    let def = crate::voice::flows::demo_flow(presales, aftersales, EXTENSIONS[0].1);
    let flow = match store
        .ivr_flows(tenant)
        .await?
        .into_iter()
        .find(|f| f.name == IVR_FLOW)
    {
        Some(f) => f,
        None => {
            let f = IvrFlow {
                id: switchboard_engine::IvrFlowId::new(),
                name: IVR_FLOW.into(),
                definition: serde_json::to_string(&def)?,
            };
            store.save_ivr_flow(tenant, &f, now).await?;
            f
        }
    };
    let n = HotlineNumber {
        id: switchboard_engine::HotlineNumberId::new(),
        number: IVR_HOTLINE.into(),
        inbound: true,
        survey: false,
        route: NumberRoute::Flow(flow.id),
        outbound: false,
        outbound_trunk: None,
    };
    store.save_hotline_number(tenant, &n, now).await?;
    Ok(())
}

/// The chat entry point `web` (`/chat/demo/web`) on the online chat queue.
async fn seed_chat_entry(
    store: &dyn Storage,
    tenant: switchboard_engine::TenantId,
    now: i64,
) -> anyhow::Result<()> {
    let name = switchboard_engine::chat::EntryName::parse("web")?;
    if store.chat_entry(tenant, &name).await?.is_some() {
        return Ok(());
    }
    let queues = store.skill_queues(tenant).await?;
    let Some(chat) = queues.iter().find(|q| q.spec.channel == Channel::Chat) else {
        return Ok(());
    };
    let entry = switchboard_storage::ChatEntry {
        id: switchboard_engine::ChatEntryId::new(),
        name,
        title: "演示企业在线客服 Demo Co. support".into(),
        queue: chat.id,
        prechat_form: true,
        identity_secret: Some("demo-identity-secret".into()),
    };
    store.create_chat_entry(tenant, &entry, now).await?;
    Ok(())
}

async fn seed_queues(
    store: &dyn Storage,
    tenant: switchboard_engine::TenantId,
    users: &[switchboard_storage::User],
    tags: &[switchboard_storage::Tag],
) -> anyhow::Result<()> {
    let queues = store.skill_queues(tenant).await?;
    for (name, channel, priority, agents) in QUEUES {
        if queues.iter().any(|q| q.spec.name.as_str() == name) {
            continue;
        }
        let spec = SkillQueueSpec {
            name: SkillQueueName::parse(name)?,
            channel,
            strategy: RoutingStrategy::LongestIdle,
            priority: QueuePriority::new(priority.into())?,
            max_queue_len: Some(200),
            max_wait_s: Some(600),
            overflow_queue: None,
            tags: tags
                .iter()
                .filter(|t| t.name.as_str() == "VIP")
                .map(|t| t.id)
                .collect(),
        };
        let bound = agents
            .iter()
            .filter_map(|(login, level)| {
                let user = users.iter().find(|u| u.login.as_str() == *login)?;
                Some(QueueAgent {
                    user_id: user.id,
                    skill_level: SkillLevel::new((*level).into()).ok()?,
                })
            })
            .collect::<Vec<_>>();
        store.create_skill_queue(tenant, &spec, &bound).await?;
    }
    Ok(())
}
