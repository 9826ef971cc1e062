//! Ticket stories, run against both SQLite and PostgreSQL: configuration, numbering, the
//! version check, tabs, Chinese full text, field search, flags, reminders and figures.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use switchboard_engine::ticket::search::{index_terms, query_terms};
use switchboard_engine::ticket::{FieldCode, FieldValue, FieldValues, FlagColor, StatusCategory};
use switchboard_engine::*;
use switchboard_storage::*;

const NOW: Millis = 1_790_000_000_000;

struct World {
    tenant: TenantId,
    agent: UserId,
    other: UserId,
    group: SkillQueueId,
    ticket_type: TicketType,
}

async fn world(s: &dyn Storage) -> World {
    let t = s
        .create_tenant(&TenantName::parse("acme").unwrap(), "Acme", NOW)
        .await
        .unwrap();
    let user = |login: &str| NewUser {
        login: LoginName::parse(login).unwrap(),
        real_name: PersonName::parse("李雷").unwrap(),
        display_name: PersonName::parse("李雷").unwrap(),
        chat_limit: ChatLimit::new(3).unwrap(),
        role_ids: vec![],
        password_hash: "$argon2id$fake".into(),
        must_change_password: false,
        agent_params: AgentParams::default(),
    };
    let users = s
        .create_users(t.id, &[user("agent1"), user("agent2")], NOW)
        .await
        .unwrap();
    let group = s
        .create_skill_queue(
            t.id,
            &SkillQueueSpec {
                name: SkillQueueName::parse("售后").unwrap(),
                channel: Channel::Task,
                strategy: RoutingStrategy::LongestIdle,
                priority: QueuePriority::new(50).unwrap(),
                max_queue_len: None,
                max_wait_s: None,
                overflow_queue: None,
                tags: vec![],
            },
            &[],
        )
        .await
        .unwrap();
    let ticket_type = TicketType {
        id: TicketTypeId::new(),
        name: "退货".into(),
        description: String::new(),
        active: true,
        version: 1,
        definition: "{}".into(),
        facet_fields: vec![],
        created_at: NOW,
        updated_at: NOW,
    };
    s.create_ticket_type(t.id, &ticket_type).await.unwrap();
    World {
        tenant: t.id,
        agent: users[0].id,
        other: users[1].id,
        group: group.id,
        ticket_type,
    }
}

fn code(c: &str) -> FieldCode {
    FieldCode::parse(c).unwrap()
}

fn ticket(w: &World, title: &str, description: &str) -> Ticket {
    let mut values = FieldValues::new();
    values.insert(code("title"), FieldValue::Text(title.into()));
    values.insert(code("description"), FieldValue::Text(description.into()));
    values.insert(code("phone"), FieldValue::Text("13800138000".into()));
    values.insert(
        code("tags"),
        FieldValue::List(vec!["vip".into(), "退款".into()]),
    );
    Ticket {
        id: TicketId::new(),
        number: 0,
        type_id: w.ticket_type.id,
        template_id: None,
        category_id: None,
        status: "new".into(),
        status_category: StatusCategory::Open,
        group: Some(w.group),
        assignee: None,
        created_by: Some(w.agent),
        completed_by: None,
        created_at: NOW,
        updated_at: NOW,
        closed_at: None,
        due_handled: false,
        version: 1,
        terms: index_terms(&format!("{title} {description}")),
        values,
    }
}

/// The titles a list finds, sorted.
async fn titles(s: &dyn Storage, tenant: TenantId, q: &TicketQuery) -> Vec<String> {
    let mut titles: Vec<String> = s
        .list_tickets(tenant, q)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.title)
        .collect();
    titles.sort();
    titles
}

fn trail(action: &str, actor: UserId) -> NewTrail {
    NewTrail {
        at: NOW,
        actor: Some(actor),
        action: action.into(),
        detail: "{}".into(),
    }
}

fn query(w: &World, scope: Scope) -> TicketQuery {
    TicketQuery {
        user: w.agent,
        scope,
        filter: TicketFilter::default(),
        sort: SortKey::Created,
        desc: true,
        after: None,
        limit: 50,
    }
}

async fn tickets_are_numbered_claimed_once_and_listed_by_tab(s: &dyn Storage) {
    let w = world(s).await;
    let created = s
        .create_tickets(
            w.tenant,
            &[
                (
                    ticket(&w, "客户申请退货", "订单 A-778 的耳机坏了"),
                    vec![],
                    vec![trail("created", w.agent)],
                ),
                (
                    ticket(&w, "发票重开", "抬头写错"),
                    vec![],
                    vec![trail("imported", w.agent)],
                ),
            ],
        )
        .await
        .unwrap();
    assert_eq!(created.iter().map(|t| t.number).collect::<Vec<_>>(), [1, 2]);
    let third = s
        .create_tickets(w.tenant, &[(ticket(&w, "催单", ""), vec![], vec![])])
        .await
        .unwrap();
    assert_eq!(third[0].number, 3, "numbers keep counting");

    let first = s.ticket(w.tenant, created[0].id).await.unwrap().unwrap();
    assert_eq!(first.values, created[0].values);
    let claim = |by: UserId| Ticket {
        assignee: Some(by),
        ..first.clone()
    };
    let won = s
        .save_ticket(
            w.tenant,
            &claim(w.agent),
            &TicketChanges::default(),
            &[trail("claimed", w.agent)],
        )
        .await
        .unwrap();
    assert_eq!(won.version, 2);
    assert!(
        matches!(
            s.save_ticket(
                w.tenant,
                &claim(w.other),
                &TicketChanges::default(),
                &[trail("claimed", w.other)]
            )
            .await,
            Err(StorageError::Stale)
        ),
        "the second claim read the same version and loses"
    );
    let entries = s.ticket_trail(w.tenant, first.id).await.unwrap();
    assert_eq!(
        entries
            .iter()
            .map(|e| (e.seq, e.action.as_str()))
            .collect::<Vec<_>>(),
        [(1, "created"), (2, "claimed")]
    );

    let count = |scope| {
        let q = query(&w, scope);
        async move { s.count_tickets(w.tenant, &q).await.unwrap() }
    };
    assert_eq!(count(Scope::Unassigned(vec![w.group])).await, 2);
    assert_eq!(count(Scope::Unassigned(vec![])).await, 0);
    assert_eq!(count(Scope::Processing(w.agent)).await, 1);
    assert_eq!(count(Scope::Created(w.agent)).await, 3);
    assert_eq!(count(Scope::All).await, 3);

    let transfer = Ticket {
        assignee: Some(w.other),
        ..won.clone()
    };
    let changes = TicketChanges {
        transferred_by: Some(w.agent),
        add_cc: vec![w.other],
        ..Default::default()
    };
    let moved = s
        .save_ticket(
            w.tenant,
            &transfer,
            &changes,
            &[trail("transferred", w.agent)],
        )
        .await
        .unwrap();
    assert_eq!(count(Scope::Transferred(w.agent)).await, 1);
    assert_eq!(count(Scope::Cc(w.other)).await, 1);
    assert!(s
        .ticket_involves(w.tenant, moved.id, w.other)
        .await
        .unwrap());
    assert_eq!(count(Scope::VisibleTo(w.other, vec![])).await, 1);

    let done = Ticket {
        status: "done".into(),
        status_category: StatusCategory::Closed,
        completed_by: Some(w.other),
        closed_at: Some(NOW + 1),
        ..moved
    };
    s.save_ticket(w.tenant, &done, &TicketChanges::default(), &[])
        .await
        .unwrap();
    assert_eq!(count(Scope::Completed(w.other)).await, 1);
    assert_eq!(count(Scope::Processing(w.other)).await, 0);

    let mut page = query(&w, Scope::All);
    page.limit = 2;
    let rows = s.list_tickets(w.tenant, &page).await.unwrap();
    assert_eq!(
        rows.iter().map(|r| r.number).collect::<Vec<_>>(),
        [3, 2],
        "newest first"
    );
    page.after = Some((0, rows[1].id));
    let rest = s.list_tickets(w.tenant, &page).await.unwrap();
    assert_eq!(rest.iter().map(|r| r.number).collect::<Vec<_>>(), [1]);
    page.sort = SortKey::Number;
    page.desc = false;
    page.after = Some((1, rest[0].id));
    assert_eq!(s.list_tickets(w.tenant, &page).await.unwrap().len(), 2);
}

async fn chinese_full_text_and_field_search(s: &dyn Storage) {
    let w = world(s).await;
    s.create_tickets(
        w.tenant,
        &[
            (
                ticket(&w, "客户申请退货", "订单 A-778 的耳机坏了"),
                vec![],
                vec![],
            ),
            (
                ticket(&w, "发票重开", "抬头写错了，需要退回旧发票"),
                vec![],
                vec![],
            ),
        ],
    )
    .await
    .unwrap();
    let search = |text: &str, quick: Option<&str>| {
        let mut q = query(&w, Scope::All);
        q.filter.text = query_terms(text);
        q.filter.quick = quick.map(str::to_owned);
        async move { titles(s, w.tenant, &q).await }
    };
    assert_eq!(search("退货", None).await, ["客户申请退货"]);
    assert_eq!(
        search("耳机", None).await,
        ["客户申请退货"],
        "descriptions too"
    );
    assert_eq!(
        search("退", None).await,
        ["发票重开", "客户申请退货"],
        "one character: a prefix"
    );
    assert_eq!(search("发票 旧", None).await, ["发票重开"]);
    assert!(search("退款发票", None).await.is_empty());
    assert!(
        search("z", None).await.is_empty() && search("", Some("zs")).await.is_empty(),
        "the status and option tokens in the index are not words"
    );
    assert_eq!(search("a-778", None).await, ["客户申请退货"]);
    assert_eq!(
        search("", Some("T2")).await,
        ["发票重开"],
        "quick search by number"
    );
    assert_eq!(search("", Some("13800138000")).await.len(), 2, "by phone");
    assert_eq!(
        search("", Some("申请")).await,
        ["客户申请退货"],
        "by title words"
    );

    let note_terms = format!(
        "{} {}",
        index_terms("发票重开 抬头写错了，需要退回旧发票"),
        index_terms("已联系快递")
    );
    let second = s.ticket_by_number(w.tenant, 2).await.unwrap().unwrap();
    s.add_ticket_note(w.tenant, second.id, &note_terms, &trail("note", w.agent))
        .await
        .unwrap();
    assert_eq!(
        search("快递", None).await,
        ["发票重开"],
        "notes are searchable"
    );

    let mut by_field = query(&w, Scope::All);
    by_field.filter.fields = vec![("tags".into(), "退款".into())];
    assert_eq!(s.count_tickets(w.tenant, &by_field).await.unwrap(), 2);
    by_field.filter.fields = vec![("tags".into(), "普通".into())];
    assert_eq!(s.count_tickets(w.tenant, &by_field).await.unwrap(), 0);
    // The title, customer and phone are read from the ticket's own columns, alone (a walk)
    // and with words (candidates from the index, then checked).
    let by = |code: &str, value: &str, text: &str| {
        let mut q = query(&w, Scope::All);
        q.filter.fields = vec![(code.into(), value.into())];
        q.filter.text = query_terms(text);
        async move { titles(s, w.tenant, &q).await }
    };
    assert_eq!(by("title", "发票重开", "").await, ["发票重开"]);
    assert_eq!(
        by("title", "发票", "").await,
        [] as [&str; 0],
        "a title is matched whole"
    );
    assert_eq!(by("phone", "13800138000", "").await.len(), 2);
    assert_eq!(by("phone", "13800138000", "发票").await, ["发票重开"]);
    assert!(by("phone", "13900000000", "").await.is_empty());
    assert!(by("customer", "13800138000", "").await.is_empty());
    by_field.filter.fields = vec![("phone".into(), "13800138000".into())];
    assert_eq!(s.count_tickets(w.tenant, &by_field).await.unwrap(), 2);

    // Text, status and field together (one probe of the index, facets included) follow the
    // ticket's status as it changes, and survive a note.
    let combined = |status: &str| {
        let mut q = query(&w, Scope::All);
        q.filter.text = query_terms("发票");
        q.filter.status = Some(status.into());
        q.filter.fields = vec![("tags".into(), "退款".into())];
        async move { s.list_tickets(w.tenant, &q).await.unwrap().len() }
    };
    assert_eq!(combined("new").await, 1);
    assert_eq!(combined("processing").await, 0);
    let second = s.ticket_by_number(w.tenant, 2).await.unwrap().unwrap();
    let processing = Ticket {
        status: "processing".into(),
        ..second
    };
    let saved = s
        .save_ticket(w.tenant, &processing, &TicketChanges::default(), &[])
        .await
        .unwrap();
    assert_eq!(combined("new").await, 0);
    assert_eq!(combined("processing").await, 1);
    s.add_ticket_note(w.tenant, saved.id, &note_terms, &trail("note", w.agent))
        .await
        .unwrap();
    assert_eq!(combined("processing").await, 1, "a note keeps the facets");

    // Without a tab, an agent sees what is theirs in any way, each way once, newest first.
    let mut visible = query(&w, Scope::VisibleTo(w.agent, vec![w.group]));
    let rows = s.list_tickets(w.tenant, &visible).await.unwrap();
    assert_eq!(
        rows.iter().map(|r| r.number).collect::<Vec<_>>(),
        [2, 1],
        "created by the agent, one of them also unassigned in the agent's group"
    );
    assert_eq!(s.count_tickets(w.tenant, &visible).await.unwrap(), 2);
    visible.limit = 1;
    visible.after = Some((0, rows[0].id));
    let next = s.list_tickets(w.tenant, &visible).await.unwrap();
    assert_eq!(next.iter().map(|r| r.number).collect::<Vec<_>>(), [1]);
    visible.scope = Scope::VisibleTo(w.other, vec![]);
    visible.after = None;
    assert!(s.list_tickets(w.tenant, &visible).await.unwrap().is_empty());
}

/// Values of fields a type names as facet fields are found by one probe of the full-text
/// index: when the type starts naming a field, the tickets already holding values of it, of
/// any type of the tenant, get facets; new and saved tickets get them as they are written.
async fn option_values_become_facets_when_a_type_says_so(s: &dyn Storage) {
    let w = world(s).await;
    let second_type = TicketType {
        id: TicketTypeId::new(),
        name: "维修".into(),
        ..w.ticket_type.clone()
    };
    s.create_ticket_type(w.tenant, &second_type).await.unwrap();
    let with_tags = |type_id: TicketTypeId, title: &str| Ticket {
        type_id,
        ..ticket(&w, title, "")
    };
    s.create_tickets(
        w.tenant,
        &[
            (with_tags(w.ticket_type.id, "退货一"), vec![], vec![]),
            (with_tags(second_type.id, "维修一"), vec![], vec![]),
        ],
    )
    .await
    .unwrap();
    let by_tag = |status: Option<&str>| {
        let mut q = query(&w, Scope::All);
        q.filter.fields = vec![("tags".into(), "退款".into())];
        q.filter.status = status.map(str::to_owned);
        async move { titles(s, w.tenant, &q).await }
    };
    assert_eq!(by_tag(None).await, ["维修一", "退货一"], "by value rows");

    let mut faceted = w.ticket_type.clone();
    faceted.facet_fields = vec!["tags".into()];
    faceted.version = s.update_ticket_type(w.tenant, &faceted).await.unwrap();
    assert_eq!(
        s.ticket_type(w.tenant, faceted.id).await.unwrap().unwrap(),
        faceted,
        "facet fields are kept with the type"
    );
    assert_eq!(
        by_tag(None).await,
        ["维修一", "退货一"],
        "by facets, rebuilt for every type's tickets"
    );
    let mut counted = query(&w, Scope::All);
    counted.filter.fields = vec![("tags".into(), "退款".into())];
    assert_eq!(s.count_tickets(w.tenant, &counted).await.unwrap(), 2);
    counted.filter.fields = vec![("tags".into(), "没有".into())];
    assert_eq!(s.count_tickets(w.tenant, &counted).await.unwrap(), 0);

    s.create_tickets(
        w.tenant,
        &[(with_tags(second_type.id, "维修二"), vec![], vec![])],
    )
    .await
    .unwrap();
    let first = s.ticket_by_number(w.tenant, 1).await.unwrap().unwrap();
    s.save_ticket(
        w.tenant,
        &Ticket {
            status: "processing".into(),
            ..first
        },
        &TicketChanges::default(),
        &[],
    )
    .await
    .unwrap();
    assert_eq!(by_tag(None).await, ["维修一", "维修二", "退货一"]);
    assert_eq!(by_tag(Some("processing")).await, ["退货一"]);
    assert_eq!(by_tag(Some("new")).await, ["维修一", "维修二"]);

    let mut plain = faceted.clone();
    plain.facet_fields = vec![];
    s.update_ticket_type(w.tenant, &plain).await.unwrap();
    assert_eq!(
        by_tag(None).await,
        ["维修一", "维修二", "退货一"],
        "no facet fields: by value rows again"
    );
}

/// A search whose index matches are mostly outside the scope still pages newest first: the
/// matches are checked in batches until a page is full.
async fn search_pages_through_many_candidates(s: &dyn Storage) {
    let w = world(s).await;
    let tickets: Vec<_> = (0..150)
        .map(|i| {
            let t = ticket(&w, &format!("退货 {i}"), "");
            let assignee = (i < 5).then_some(w.other);
            (Ticket { assignee, ..t }, vec![], vec![])
        })
        .collect();
    s.create_tickets(w.tenant, &tickets).await.unwrap();
    let mut q = query(&w, Scope::Assigned(w.other));
    q.filter.text = query_terms("退货");
    q.limit = 3;
    let numbers = |rows: &[TicketRow]| rows.iter().map(|r| r.number).collect::<Vec<_>>();
    let first = s.list_tickets(w.tenant, &q).await.unwrap();
    assert_eq!(numbers(&first), [5, 4, 3]);
    q.after = Some((0, first[2].id));
    assert_eq!(
        numbers(&s.list_tickets(w.tenant, &q).await.unwrap()),
        [2, 1]
    );
    q.desc = false;
    q.after = None;
    assert_eq!(
        numbers(&s.list_tickets(w.tenant, &q).await.unwrap()),
        [1, 2, 3]
    );
    // Common matches: the newest of the scope fill the page.
    q.scope = Scope::All;
    q.desc = true;
    assert_eq!(
        numbers(&s.list_tickets(w.tenant, &q).await.unwrap()),
        [150, 149, 148]
    );
    q.filter.text = query_terms("退货 149");
    assert_eq!(
        numbers(&s.list_tickets(w.tenant, &q).await.unwrap()),
        [150],
        "titles count from 0, numbers from 1"
    );
}

/// A search over the parts of an agent's view (assigned, created, …) whose newest tickets
/// do not settle the page: PostgreSQL's first walk sees 1,000 tickets of each part and must
/// tell when tickets beyond that could still be on the page.
async fn search_of_several_parts_looks_past_their_newest(s: &dyn Storage) {
    let w = world(s).await;
    // Created by the other agent, older than all the assigned ones: 10 matches.
    let mut tickets: Vec<_> = (0..10)
        .map(|i| Ticket {
            created_by: Some(w.other),
            ..ticket(&w, &format!("退货 创建 {i}"), "")
        })
        .collect();
    // Assigned to them: 1,100, matching only among the oldest 5 and the newest 3.
    tickets.extend((0..1100).map(|i| {
        let title = match i {
            0..5 | 1097.. => format!("退货 处理 {i}"),
            _ => format!("维修 处理 {i}"),
        };
        Ticket {
            assignee: Some(w.other),
            ..ticket(&w, &title, "")
        }
    }));
    let batch: Vec<_> = tickets.into_iter().map(|t| (t, vec![], vec![])).collect();
    s.create_tickets(w.tenant, &batch).await.unwrap();
    let mut q = query(&w, Scope::VisibleTo(w.other, vec![]));
    q.filter.text = query_terms("退货");
    q.limit = 5;
    let titles_in_order =
        |rows: Vec<TicketRow>| rows.into_iter().map(|r| r.title).collect::<Vec<_>>();
    assert_eq!(
        titles_in_order(s.list_tickets(w.tenant, &q).await.unwrap()),
        [
            "退货 处理 1099",
            "退货 处理 1098",
            "退货 处理 1097",
            "退货 处理 4",
            "退货 处理 3"
        ],
        "the oldest assigned matches come before the created ones, though past the first walk"
    );
    q.limit = 3;
    assert_eq!(
        titles_in_order(s.list_tickets(w.tenant, &q).await.unwrap()),
        ["退货 处理 1099", "退货 处理 1098", "退货 处理 1097"],
    );
    q.desc = false;
    assert_eq!(
        titles_in_order(s.list_tickets(w.tenant, &q).await.unwrap()),
        ["退货 创建 0", "退货 创建 1", "退货 创建 2"],
    );
    q.limit = 12;
    let rows = s.list_tickets(w.tenant, &q).await.unwrap();
    assert_eq!(
        titles_in_order(rows[9..].to_vec()),
        ["退货 创建 9", "退货 处理 0", "退货 处理 1"],
    );
}

/// A search whose matches are sparse among the newest tickets: PostgreSQL's first walk sees
/// 5,000 tickets and finds 40 (every 100th), then walks on as far as that rate promises the
/// rest of the page, and probes the index when the rest is not there.
async fn a_sparse_search_walks_on(s: &dyn Storage) {
    let w = world(s).await;
    let matching = |i: usize| (i >= 3000 && i % 100 == 99) || [20, 30, 40, 1990].contains(&i);
    let batch: Vec<_> = (0..7000)
        .map(|i| {
            let word = if matching(i) { "退货" } else { "维修" };
            (ticket(&w, &format!("{word} {i}"), ""), vec![], vec![])
        })
        .collect();
    s.create_tickets(w.tenant, &batch).await.unwrap();
    let expected: Vec<i64> = (0..7000).rev().filter(|i| matching(*i as usize)).collect();
    let mut q = query(&w, Scope::All);
    q.filter.text = query_terms("退货");
    let numbers = |rows: Vec<TicketRow>| rows.into_iter().map(|r| r.number - 1).collect::<Vec<_>>();
    q.limit = 41;
    assert_eq!(
        numbers(s.list_tickets(w.tenant, &q).await.unwrap()),
        expected[..41],
        "the 41st is just past the first walk"
    );
    q.limit = 50;
    assert_eq!(
        numbers(s.list_tickets(w.tenant, &q).await.unwrap()),
        expected,
        "the last three lie beyond where the walk goes on to"
    );
    q.limit = 3;
    q.desc = false;
    assert_eq!(
        numbers(s.list_tickets(w.tenant, &q).await.unwrap()),
        [20, 30, 40]
    );
}

async fn flags_reminders_and_figures(s: &dyn Storage) {
    let w = world(s).await;
    let t = s
        .create_tickets(w.tenant, &[(ticket(&w, "回访", ""), vec![], vec![])])
        .await
        .unwrap()
        .remove(0);
    s.set_ticket_flag(w.tenant, t.id, w.agent, Some(FlagColor::Red))
        .await
        .unwrap();
    let mut flagged = query(&w, Scope::All);
    flagged.filter.flag = Some(FlagColor::Red);
    let rows = s.list_tickets(w.tenant, &flagged).await.unwrap();
    assert_eq!(rows[0].flag, Some(FlagColor::Red));
    let reminder = Reminder {
        id: ReminderId::new(),
        ticket: t.id,
        user: w.agent,
        at: NOW + 60_000,
        note: Some("记得回电".into()),
        fired_at: None,
    };
    s.add_reminder(w.tenant, &reminder).await.unwrap();
    assert!(s
        .due_reminders(NOW, &[w.agent], 10)
        .await
        .unwrap()
        .is_empty());
    assert!(
        s.due_reminders(NOW + 60_000, &[w.other], 10)
            .await
            .unwrap()
            .is_empty(),
        "only the asked users' reminders"
    );
    let due = s.due_reminders(NOW + 60_000, &[w.agent], 10).await.unwrap();
    assert_eq!((due[0].number, due[0].title.as_str()), (1, "回访"));
    s.mark_reminder_fired(w.tenant, reminder.id, NOW + 60_001)
        .await
        .unwrap();
    assert!(s
        .due_reminders(NOW + 120_000, &[w.agent], 10)
        .await
        .unwrap()
        .is_empty());
    let links = s.ticket_links(w.tenant, t.id, w.agent).await.unwrap();
    assert_eq!(
        (links.flag, links.reminders.len()),
        (Some(FlagColor::Red), 1)
    );
    assert!(matches!(
        s.delete_reminder(w.tenant, w.other, reminder.id).await,
        Err(StorageError::NotFound)
    ));

    let stats = s
        .ticket_stats(
            w.tenant,
            &StatsRange {
                from: NOW - 1,
                to: NOW + 1,
                offsets: vec![(NOW - 1, 480)],
                type_id: None,
                group: None,
            },
        )
        .await
        .unwrap();
    assert_eq!((stats.totals.created, stats.totals.backlog), (1, 1));
    assert_eq!(stats.by_day.len(), 1);
    // Days are cut at the offset in force at each time: 14:13 UTC is the next day at +14:00.
    for (offsets, day) in [
        (vec![(NOW - 1, 0), (NOW, 840)], 20_718),
        (vec![(NOW - 1, 840), (NOW + 1, 0)], 20_718),
        (vec![(NOW - 1, 840), (NOW, 0)], 20_717),
    ] {
        let range = StatsRange {
            from: NOW - 1,
            to: NOW + 1,
            offsets,
            type_id: None,
            group: None,
        };
        let by_day = s.ticket_stats(w.tenant, &range).await.unwrap().by_day;
        assert_eq!(by_day[0].0, day, "{:?}", range.offsets);
    }
    assert_eq!(
        s.next_in_rotation(w.tenant, w.group, &[w.agent, w.other])
            .await
            .unwrap(),
        Some(w.agent)
    );
    let with_due = Ticket {
        values: {
            let mut v = t.values.clone();
            v.insert(code("due_at"), FieldValue::Time(NOW + 10));
            v
        },
        ..t.clone()
    };
    let changes = TicketChanges {
        rotation: Some((w.group, w.agent)),
        ..Default::default()
    };
    s.save_ticket(w.tenant, &with_due, &changes, &[])
        .await
        .unwrap();
    assert_eq!(
        s.overdue_tickets(NOW + 10, 10).await.unwrap(),
        [(w.tenant, t.id)]
    );
    assert_eq!(
        s.next_in_rotation(w.tenant, w.group, &[w.agent, w.other])
            .await
            .unwrap(),
        Some(w.other),
        "the one given a ticket longest ago"
    );
}

async fn configuration_keeps_its_shape(s: &dyn Storage) {
    let w = world(s).await;
    let root = TicketCategory {
        id: TicketCategoryId::new(),
        parent: None,
        name: "售后".into(),
        position: 0,
    };
    let child = TicketCategory {
        id: TicketCategoryId::new(),
        parent: Some(root.id),
        name: "退货".into(),
        position: 0,
    };
    s.save_ticket_category(w.tenant, &root).await.unwrap();
    s.save_ticket_category(w.tenant, &child).await.unwrap();
    let cycle = TicketCategory {
        parent: Some(child.id),
        ..root.clone()
    };
    assert!(matches!(
        s.save_ticket_category(w.tenant, &cycle).await,
        Err(StorageError::Reference(_))
    ));
    assert!(matches!(
        s.delete_ticket_category(w.tenant, root.id).await,
        Err(StorageError::Reference(_))
    ));
    assert_eq!(s.ticket_categories(w.tenant).await.unwrap().len(), 2);

    let mut edited = w.ticket_type.clone();
    edited.definition = r#"{"fields":[]}"#.into();
    assert_eq!(s.update_ticket_type(w.tenant, &edited).await.unwrap(), 2);
    assert!(
        matches!(
            s.update_ticket_type(w.tenant, &edited).await,
            Err(StorageError::Stale)
        ),
        "saved from an old version"
    );
    s.create_tickets(w.tenant, &[(ticket(&w, "x", ""), vec![], vec![])])
        .await
        .unwrap();
    assert!(matches!(
        s.delete_ticket_type(w.tenant, w.ticket_type.id).await,
        Err(StorageError::Reference(_))
    ));

    let other = s
        .create_tenant(&TenantName::parse("other").unwrap(), "o", NOW)
        .await
        .unwrap();
    assert!(s.ticket_types(other.id).await.unwrap().is_empty());
    assert!(s.ticket_by_number(other.id, 1).await.unwrap().is_none());
    assert_eq!(
        s.count_tickets(other.id, &query(&w, Scope::All))
            .await
            .unwrap(),
        0,
        "no ticket leaks into another tenant"
    );
}

switchboard_storage::story_tests!(
    tickets_are_numbered_claimed_once_and_listed_by_tab,
    chinese_full_text_and_field_search,
    option_values_become_facets_when_a_type_says_so,
    search_pages_through_many_candidates,
    search_of_several_parts_looks_past_their_newest,
    a_sparse_search_walks_on,
    flags_reminders_and_figures,
    configuration_keeps_its_shape,
);
