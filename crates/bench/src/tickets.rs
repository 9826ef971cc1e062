//! `switchboard-bench tickets`: the ticket center with a million tickets, on SQLite or a fresh
//! PostgreSQL database. Tickets are generated through storage (checked like API input), then
//! the real server is measured over HTTP: creating tickets, tab lists, searches (Chinese full
//! text, quick, by field) and a spreadsheet import.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use switchboard_engine::ticket::search::ticket_terms;
use switchboard_engine::ticket::{
    FieldCode, FieldDef, FieldKind, FieldOption, FieldType, RawValue, StatusCategory, TicketSchema,
};
use switchboard_engine::{Channel, TenantParams, TicketId, TicketTemplateId, TicketTypeId};
use switchboard_server::api::tickets::schema::DefinitionJson;
use switchboard_storage::testing::PgTestDb;
use switchboard_storage::{NewTrail, Storage, Ticket, TicketTemplate, User};

use crate::support::{self, login, max_rss_kb, now_ms, percentile, Lcg};

// The flags of `tickets` (its description is on the subcommand in main).
#[derive(clap::Args)]
pub struct Args {
    #[arg(long, default_value_t = 1_000_000)]
    tickets: u32,
    /// sqlite or postgres (a fresh database at SWITCHBOARD_TEST_PG's server)
    #[arg(long, default_value = "sqlite")]
    database: String,
    /// Tickets created through the API (8 at a time)
    #[arg(long, default_value_t = 2000)]
    creates: u32,
    /// Tab-list requests, and as many searches
    #[arg(long, default_value_t = 1000)]
    queries: u32,
    #[arg(long, default_value_t = 100_000)]
    import_rows: u32,
    /// Keep the data for inspection: SQLite in this directory instead of a temporary one;
    /// PostgreSQL's database is kept and its URL printed on stderr
    #[arg(long)]
    data: Option<PathBuf>,
}

const GROUPS: usize = 20;
const AGENTS: u32 = 200;
const TOPICS: [&str; 16] = [
    "退货申请",
    "换货处理",
    "上门维修",
    "发票重开",
    "物流延误",
    "账号无法登录",
    "退款未到账",
    "服务投诉",
    "安装预约",
    "修改配送地址",
    "会员积分",
    "优惠券失效",
    "订单取消",
    "质量问题",
    "屏幕碎裂",
    "电池续航",
];
const SENTENCES: [&str; 12] = [
    "客户来电反映收到的商品外包装破损。",
    "快递显示已签收但客户表示没有收到。",
    "客户要求尽快安排师傅上门。",
    "已核实订单信息与客户所述一致。",
    "客户情绪比较激动，需要优先处理。",
    "需要二线技术支持协助排查。",
    "客户希望改为周末送货。",
    "发票抬头填写错误需要重开。",
    "退款申请已提交财务审核。",
    "客户表示手机充电时发热严重。",
    "耳机左侧没有声音。",
    "手表无法同步运动数据。",
];
const PRODUCTS: [(&str, &str); 5] = [
    ("phone", "手机"),
    ("earbuds", "耳机"),
    ("watch", "手表"),
    ("tablet", "平板"),
    ("laptop", "笔记本"),
];

/// Picks with the shared deterministic generator, so every run measures the same data.
struct Rng(Lcg);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(Lcg(seed))
    }
    fn below(&mut self, n: usize) -> usize {
        self.0.next(n as u32) as usize
    }
}

fn schema() -> anyhow::Result<TicketSchema> {
    let mut schema = TicketSchema::starter();
    let field = |code: &str, label: &str, field_type, options| -> anyhow::Result<FieldDef> {
        Ok(FieldDef {
            code: FieldCode::parse(code)?,
            label: label.into(),
            kind: FieldKind::Business,
            field_type,
            required: false,
            options,
            default: None,
        })
    };
    let products = PRODUCTS
        .iter()
        .map(|(value, label)| FieldOption {
            value: (*value).into(),
            label: (*label).into(),
            children: vec![],
        })
        .collect();
    schema
        .fields
        .push(field("address", "地址", FieldType::Address, vec![])?);
    schema
        .fields
        .push(field("order_no", "订单号", FieldType::Text, vec![])?);
    schema
        .fields
        .push(field("product", "产品", FieldType::SingleSelect, products)?);
    schema.validate()?;
    Ok(schema)
}

/// One generated ticket's field input: title, description, phone, product, order and address.
fn input(rng: &mut Rng) -> [(String, RawValue); 6] {
    let topic = TOPICS[rng.below(TOPICS.len())];
    let (product, label) = PRODUCTS[rng.below(PRODUCTS.len())];
    let description = format!(
        "{}{}",
        SENTENCES[rng.below(SENTENCES.len())],
        SENTENCES[rng.below(SENTENCES.len())]
    );
    [
        ("title", format!("{label}{topic}")),
        ("description", description),
        ("phone", format!("138{:08}", rng.below(100_000_000))),
        ("product", product.to_owned()),
        (
            "order_no",
            format!("SO{:08}{:02}", rng.below(100_000_000), rng.below(100)),
        ),
        ("address", format!("深圳市南山区科技园{}号", rng.below(500))),
    ]
    .map(|(k, v)| (k.to_owned(), RawValue::Text(v)))
}

/// One generated ticket, its fields checked by the type like any input.
fn ticket(
    rng: &mut Rng,
    schema: &TicketSchema,
    type_id: TicketTypeId,
    agents: &[User],
    groups: &[switchboard_engine::SkillQueueId],
    now: i64,
) -> anyhow::Result<Ticket> {
    let values = schema
        .new_values(&input(rng), &switchboard_engine::TenantZone::default())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let created_at = now - (rng.below(90 * 86_400) as i64) * 1000;
    let agent = rng.below(agents.len());
    let group = groups[agent * GROUPS / agents.len()];
    let roll = rng.below(100);
    let (status, category) = match roll {
        0..60 => ("done", StatusCategory::Closed),
        60..85 => ("processing", StatusCategory::Open),
        _ => ("new", StatusCategory::Open),
    };
    let unassigned = category != StatusCategory::Closed && rng.below(100) < 40;
    let assignee = (!unassigned).then(|| agents[agent].id);
    let mut t = Ticket {
        id: TicketId::new(),
        number: 0,
        type_id,
        template_id: None,
        category_id: None,
        status: status.into(),
        status_category: category,
        group: Some(group),
        assignee,
        created_by: Some(agents[rng.below(agents.len())].id),
        completed_by: (category == StatusCategory::Closed).then_some(agents[agent].id),
        created_at,
        updated_at: created_at,
        closed_at: (category == StatusCategory::Closed).then_some(created_at + 3_600_000),
        due_handled: true,
        version: 1,
        terms: String::new(),
        values,
    };
    t.terms = ticket_terms(&schema.fields, &t.values, std::iter::empty());
    Ok(t)
}

/// What the generated tickets and the measured requests refer to.
struct Setup {
    type_id: TicketTypeId,
    template_id: TicketTemplateId,
    groups: Vec<switchboard_engine::SkillQueueId>,
    agents: Vec<User>,
    tenant: switchboard_engine::TenantId,
}

/// Tenant `bench` with an admin and 200 agents in 20 ticket groups, and an after-sales
/// ticket type with a template.
async fn setup(store: &dyn Storage) -> anyhow::Result<(Setup, TicketSchema)> {
    let (tenant, agents) = support::tenant(store, TenantParams::default(), AGENTS, 1, true).await?;
    let mut groups = Vec::new();
    for (g, members) in agents.chunks(agents.len() / GROUPS).enumerate() {
        groups.push(
            support::queue(
                store,
                tenant,
                &format!("工单组 {g}"),
                Channel::Task,
                members,
            )
            .await?
            .id,
        );
    }
    let schema = schema()?;
    let t = DefinitionJson::new_type("售后工单".into(), String::new(), true, &schema, now_ms());
    store.create_ticket_type(tenant, &t).await?;
    let layout = ["title", "phone", "product", "order_no", "address"]
        .map(|c| json!({ "code": c, "width": "full" }));
    let template = TicketTemplate {
        id: TicketTemplateId::new(),
        type_id: t.id,
        name: "标准".into(),
        layout: Value::from(layout.to_vec()).to_string(),
    };
    store.save_ticket_template(tenant, &template).await?;
    Ok((
        Setup {
            type_id: t.id,
            template_id: template.id,
            groups,
            agents,
            tenant,
        },
        schema,
    ))
}

/// Generates `total` tickets through storage in batches; tickets per second.
async fn generate(
    store: &dyn Storage,
    s: &Setup,
    schema: &TicketSchema,
    total: u32,
) -> anyhow::Result<f64> {
    let mut rng = Rng::new(0x5eed_1234_abcd_9876);
    let now = now_ms();
    let started = Instant::now();
    let mut made = 0;
    while made < total {
        let n = (total - made).min(5000);
        let batch = (0..n)
            .map(|_| {
                let t = ticket(&mut rng, schema, s.type_id, &s.agents, &s.groups, now)?;
                let trail = vec![NewTrail {
                    at: t.created_at,
                    actor: t.created_by,
                    action: "created".into(),
                    detail: "{}".into(),
                }];
                Ok((t, vec![], trail))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        store.create_tickets(s.tenant, &batch).await?;
        made += n;
    }
    Ok(f64::from(total) / started.elapsed().as_secs_f64())
}

/// Sorted milliseconds of each GET, one at a time.
async fn timed_gets(
    client: &reqwest::Client,
    base: &str,
    requests: Vec<(String, String)>,
) -> anyhow::Result<Vec<f64>> {
    let mut ms = Vec::with_capacity(requests.len());
    for (token, path) in requests {
        let t0 = Instant::now();
        let res = client
            .get(format!("{base}{path}"))
            .bearer_auth(&token)
            .send()
            .await?;
        anyhow::ensure!(res.status().is_success(), "GET {path}: {}", res.status());
        res.bytes().await?;
        ms.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    ms.sort_by(f64::total_cmp);
    Ok(ms)
}

/// Creates tickets through the API, `concurrency` at a time: (per second, sorted ms).
async fn api_creates(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    s: &Setup,
    n: u32,
    concurrency: usize,
) -> anyhow::Result<(f64, Vec<f64>)> {
    let started = Instant::now();
    let mut ms = Vec::with_capacity(n as usize);
    let mut pending = Vec::new();
    for i in 0..n {
        let (client, url, token) = (
            client.clone(),
            format!("{base}/api/v1/tickets"),
            token.to_owned(),
        );
        let body = json!({ "type_id": s.type_id.0, "group_id": s.groups[i as usize % GROUPS].0,
            "fields": { "title": format!("接口创建的工单 {i}"), "phone": "13800138000", "product": "phone" } });
        pending.push(tokio::spawn(async move {
            let t0 = Instant::now();
            let res = client
                .post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await?;
            anyhow::ensure!(res.status().as_u16() == 201, "create: {}", res.status());
            Ok(t0.elapsed().as_secs_f64() * 1000.0)
        }));
        if pending.len() == concurrency {
            ms.push(pending.remove(0).await??);
        }
    }
    for p in pending {
        ms.push(p.await??);
    }
    ms.sort_by(f64::total_cmp);
    Ok((f64::from(n) / started.elapsed().as_secs_f64(), ms))
}

/// Imports `rows` tickets from one CSV through the API; seconds.
async fn import(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    s: &Setup,
    rows: u32,
) -> anyhow::Result<f64> {
    let mut rng = Rng::new(0xfeed_beef);
    let mut csv = String::from("title,phone,product,address,group\n");
    for i in 0..rows {
        let (_, label) = PRODUCTS[rng.below(PRODUCTS.len())];
        csv.push_str(&format!(
            "回访任务{i} {},139{:08},{label},广州市天河区{}号,工单组 {}\n",
            TOPICS[rng.below(TOPICS.len())],
            rng.below(100_000_000),
            rng.below(900),
            rng.below(GROUPS)
        ));
    }
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("tasks.csv"),
    );
    let t0 = Instant::now();
    let res = client
        .post(format!(
            "{base}/api/v1/tickets/import?type_id={}&template_id={}",
            s.type_id, s.template_id
        ))
        .bearer_auth(token)
        .timeout(Duration::from_secs(600))
        .multipart(form)
        .send()
        .await?;
    let took = t0.elapsed().as_secs_f64();
    let body: Value = res.json().await?;
    anyhow::ensure!(body["created"] == rows, "import: {body}");
    Ok(took)
}

/// Runs the benchmark; its figures as one JSON line.
pub async fn run(args: Args) -> anyhow::Result<String> {
    let args = Args {
        tickets: args.tickets.max(1),
        creates: args.creates.max(1),
        queries: args.queries.max(1),
        import_rows: args.import_rows.max(1),
        ..args
    };
    let temp = tempfile::tempdir()?;
    let keep = args.data.is_some();
    let dir = args.data.clone().unwrap_or_else(|| temp.path().to_owned());
    let pg = match args.database.as_str() {
        "sqlite" => None,
        "postgres" => Some(
            PgTestDb::create()
                .await
                .ok_or_else(|| anyhow::anyhow!("PostgreSQL is unreachable"))?,
        ),
        other => anyhow::bail!("--database is sqlite or postgres, not {other}"),
    };
    let store = switchboard_server::open_storage(&dir, pg.as_ref().map(|p| p.url.as_str())).await?;
    let (s, schema) = setup(store.as_ref()).await?;
    let generated_per_s = generate(store.as_ref(), &s, &schema, args.tickets).await?;

    let state = switchboard_server::AppState::new(store);
    let base = format!("http://{}", support::serve(state).await?);
    let figures = measure(&base, &s, &args, generated_per_s).await?;
    if let Some(pg) = pg.filter(|_| keep) {
        eprintln!("kept PostgreSQL database: {}", pg.keep());
    }
    Ok(figures.report(&args))
}

/// What the benchmark measures; each list of milliseconds sorted.
struct Figures {
    generated_per_s: f64,
    create_rate: f64,
    create_ms: Vec<f64>,
    tab_ms: Vec<f64>,
    count_ms: Vec<f64>,
    search_ms: Vec<f64>,
    /// The p99 of each kind of search, formatted.
    kind_p99: Vec<String>,
    import_s: f64,
}

/// Measures the server at `base` over HTTP: creates, tab lists and counts, searches, import.
async fn measure(
    base: &str,
    s: &Setup,
    args: &Args,
    generated_per_s: f64,
) -> anyhow::Result<Figures> {
    let client = reqwest::Client::new();
    let admin = login(&client, base, "admin").await?;
    let mut agents = Vec::new();
    for n in 0..20 {
        agents.push(login(&client, base, &format!("agent{}", n * (AGENTS / 20))).await?);
    }
    let (create_rate, create_ms) = api_creates(&client, base, &admin, s, args.creates, 8).await?;
    let mut rng = Rng::new(0xabc);
    let tabs = tab_requests(&mut rng, &admin, &agents, args.queries);
    let tab_ms = timed_gets(&client, base, tabs).await?;
    let counts = (0..args.queries / 10)
        .map(|i| {
            let agent = agents[i as usize % agents.len()].clone();
            (agent, "/api/v1/tickets/counts".to_owned())
        })
        .collect();
    let count_ms = timed_gets(&client, base, counts).await?;
    let searches = search_requests(&mut rng, &admin, &agents, args.queries, args.tickets);
    let mut search_ms = Vec::new();
    let mut kind_p99 = Vec::new();
    for kind in 0..4 {
        let of_kind = searches.iter().skip(kind).step_by(4).cloned().collect();
        let ms = timed_gets(&client, base, of_kind).await?;
        kind_p99.push(format!("{:.2}", percentile(&ms, 0.99)));
        search_ms.extend(ms);
    }
    search_ms.sort_by(f64::total_cmp);
    let import_s = import(&client, base, &admin, s, args.import_rows).await?;
    Ok(Figures {
        generated_per_s,
        create_rate,
        create_ms,
        tab_ms,
        count_ms,
        search_ms,
        kind_p99,
        import_s,
    })
}

/// `queries` tab lists (token, path): six in seven by a random agent, the rest `all` by the
/// admin.
fn tab_requests(
    rng: &mut Rng,
    admin: &str,
    agents: &[String],
    queries: u32,
) -> Vec<(String, String)> {
    let tabs = [
        "processing",
        "unassigned",
        "completed",
        "created",
        "transferred",
        "cc",
    ];
    (0..queries)
        .map(|i| match i % 7 {
            6 => (
                admin.to_owned(),
                "/api/v1/tickets?tab=all&limit=50".to_owned(),
            ),
            k => (
                agents[rng.below(agents.len())].clone(),
                format!("/api/v1/tickets?tab={}&limit=50", tabs[k as usize]),
            ),
        })
        .collect()
}

/// `queries` searches (token, path), four kinds in turn: full text over all tickets, full
/// text in an agent's tab, a quick search by number, and fields with full text.
fn search_requests(
    rng: &mut Rng,
    admin: &str,
    agents: &[String],
    queries: u32,
    total: u32,
) -> Vec<(String, String)> {
    let words = [
        "退货",
        "维修",
        "发票",
        "物流延误",
        "屏幕碎裂",
        "上门",
        "充电发热",
        "耳机",
        "同步运动数据",
        "积分",
    ];
    (0..queries)
        .map(|i| {
            let word = words[rng.below(words.len())];
            match i % 4 {
                0 => (
                    admin.to_owned(),
                    format!("/api/v1/tickets?tab=all&text={word}"),
                ),
                1 => (
                    agents[rng.below(agents.len())].clone(),
                    format!("/api/v1/tickets?text={word}"),
                ),
                2 => (
                    admin.to_owned(),
                    format!(
                        "/api/v1/tickets?tab=all&q=T{}",
                        1 + rng.below(total as usize)
                    ),
                ),
                _ => (
                    admin.to_owned(),
                    format!(
                        "/api/v1/tickets?tab=all&f.product=watch&status=processing&text={word}"
                    ),
                ),
            }
        })
        .collect()
}

impl Figures {
    /// The figures as one JSON line.
    fn report(&self, args: &Args) -> String {
        let Args {
            tickets: total,
            database,
            creates,
            import_rows,
            ..
        } = args;
        let Self {
            generated_per_s,
            create_rate,
            import_s,
            ..
        } = self;
        format!(
            "{{\"bench\":\"tickets\",\"database\":\"{database}\",\"tickets\":{total},\"generated_per_s\":{generated_per_s:.0},\
             \"api_creates\":{creates},\"api_create_per_s\":{create_rate:.0},\"api_create_p99_ms\":{:.2},\
             \"tab_list_p50_ms\":{:.2},\"tab_list_p99_ms\":{:.2},\"tab_counts_p99_ms\":{:.2},\
             \"search_p50_ms\":{:.2},\"search_p99_ms\":{:.2},\"search_max_ms\":{:.2},\"search_p99_by_kind_ms\":[{}],\"import_rows\":{import_rows},\"import_s\":{import_s:.2},\"max_rss_kb\":{}}}",
            percentile(&self.create_ms, 0.99),
            percentile(&self.tab_ms, 0.5),
            percentile(&self.tab_ms, 0.99),
            percentile(&self.count_ms, 0.99),
            percentile(&self.search_ms, 0.5),
            percentile(&self.search_ms, 0.99),
            self.search_ms.last().copied().unwrap_or(f64::NAN),
            self.kind_p99.join(","),
            max_rss_kb()
        )
    }
}
