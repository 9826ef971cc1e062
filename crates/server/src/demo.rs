//! The demo tenant for `serve --demo`: seeded idempotently, so restarting with `--demo`
//! tops up what is missing and never duplicates or overwrites.

use switchboard_engine::{
    AgentParams, BuiltinRole, Channel, ChatLimit, LoginName, Password, PersonName, QueuePriority,
    RoutingStrategy, SkillLevel, SkillQueueName, TagName, TenantName,
};
use switchboard_storage::{NewUser, QueueAgent, SkillQueueSpec, Storage};

use crate::passwords::hash_password;

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
