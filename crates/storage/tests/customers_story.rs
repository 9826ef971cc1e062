//! Customer directory stories, run against both SQLite and PostgreSQL: a customer created
//! and found by each key, keys held once per tenant, edits checked by version, search in
//! Chinese and English through the terms table, find-or-create by phone, merging (and its
//! refusals), a chat customer in the directory, the trail's contacts and tickets, and every
//! record staying in its tenant.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use switchboard_engine::acd::{ContactStatus, CustomerPriority, Direction};
use switchboard_engine::*;
use switchboard_storage::*;

const NOW: Millis = 1_790_000_000_000;

async fn tenant(s: &dyn Storage, name: &str) -> TenantId {
    s.create_tenant(&TenantName::parse(name).unwrap(), name, NOW)
        .await
        .unwrap()
        .id
}

/// Terms the way the server makes them (words, CJK pairs) plus the phones' digits.
fn write(name: &str, phones: &[&str], emails: &[&str], notes: &str) -> CustomerWrite {
    let mut text = format!("{name} {notes} {}", emails.join(" "));
    for p in phones {
        text.push(' ');
        text.push_str(p.trim_start_matches('+'));
    }
    let terms = switchboard_engine::ticket::search::index_terms(&text)
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    CustomerWrite {
        name: Some(name.into()),
        phones: phones.iter().map(|p| p.to_string()).collect(),
        emails: emails.iter().map(|e| e.to_string()).collect(),
        tags: vec!["VIP".into()],
        notes: notes.into(),
        fields: r#"{"level":"gold"}"#.into(),
        host_identity: None,
        terms,
    }
}

fn exact(text: &str) -> CustomerTerm {
    CustomerTerm {
        text: text.into(),
        prefix: false,
    }
}

fn query(terms: Vec<CustomerTerm>) -> CustomerQuery {
    CustomerQuery {
        terms,
        offset: 0,
        limit: 20,
    }
}

async fn a_customer_is_found_by_each_key(s: &dyn Storage) {
    let t = tenant(s, "acme").await;
    let id = CustomerId::new();
    let w = write(
        "张三",
        &["+8613800138000", "+862161234567"],
        &["zs@example.com"],
        "",
    );
    let c = s.create_customer(t, id, &w, NOW).await.unwrap();
    assert_eq!(c.phones, w.phones);
    assert_eq!(c.emails, w.emails);
    assert_eq!(c.tags, vec!["VIP".to_string()]);
    assert_eq!(c.version, 2);
    assert_eq!(c.identity, format!("customer:{}", id.0));
    for (kind, value) in [
        (KeyKind::Phone, "+8613800138000"),
        (KeyKind::Phone, "+862161234567"),
        (KeyKind::Email, "zs@example.com"),
    ] {
        let found = s.customer_by_key(t, kind, value).await.unwrap().unwrap();
        assert_eq!(found.id, id);
    }
    assert!(s
        .customer_by_key(t, KeyKind::Phone, "+8613900000000")
        .await
        .unwrap()
        .is_none());
    // A key is held by one customer of the tenant.
    let other = write("李四", &["+8613800138000"], &[], "");
    let taken = s.create_customer(t, CustomerId::new(), &other, NOW).await;
    assert!(matches!(taken, Err(StorageError::Conflict(k)) if k == "phone:+8613800138000"));
    assert!(s.directory_customer(t, id).await.unwrap().is_some());
}

async fn edits_are_version_checked(s: &dyn Storage) {
    let t = tenant(s, "acme").await;
    let id = CustomerId::new();
    let c = s
        .create_customer(t, id, &write("张三", &["+8613800138000"], &[], ""), NOW)
        .await
        .unwrap();
    let edit = write("张三丰", &["+8613900139000"], &["z@example.com"], "老客户");
    let saved = s
        .update_customer(t, id, c.version, &edit, NOW + 1)
        .await
        .unwrap();
    assert_eq!(saved.name.as_deref(), Some("张三丰"));
    assert_eq!(saved.updated_at, NOW + 1);
    // The old number is free again; the new one finds the customer.
    assert!(s
        .customer_by_key(t, KeyKind::Phone, "+8613800138000")
        .await
        .unwrap()
        .is_none());
    let stale = s.update_customer(t, id, c.version, &edit, NOW + 2).await;
    assert!(matches!(stale, Err(StorageError::Stale)));
    let missing = s
        .update_customer(t, CustomerId::new(), 1, &edit, NOW + 2)
        .await;
    assert!(matches!(missing, Err(StorageError::NotFound)));
}

async fn search_finds_chinese_and_english_newest_first(s: &dyn Storage) {
    let t = tenant(s, "acme").await;
    let a = CustomerId::new();
    let b = CustomerId::new();
    s.create_customer(
        t,
        a,
        &write("王小明", &["+8613800138000"], &[], "要求退货"),
        NOW,
    )
    .await
    .unwrap();
    s.create_customer(
        t,
        b,
        &write("Alice Wang", &[], &["alice@example.com"], "退货 refund"),
        NOW + 5,
    )
    .await
    .unwrap();
    let ids = |v: Vec<DirectoryCustomer>| v.into_iter().map(|c| c.id).collect::<Vec<_>>();
    let both = s
        .search_customers(t, &query(vec![exact("退货")]))
        .await
        .unwrap();
    assert_eq!(ids(both), vec![b, a]);
    let name = query(vec![exact("小明")]);
    assert_eq!(ids(s.search_customers(t, &name).await.unwrap()), vec![a]);
    let english = query(vec![CustomerTerm {
        text: "ali".into(),
        prefix: true,
    }]);
    assert_eq!(ids(s.search_customers(t, &english).await.unwrap()), vec![b]);
    let phone = query(vec![exact("8613800138000")]);
    assert_eq!(ids(s.search_customers(t, &phone).await.unwrap()), vec![a]);
    let none = query(vec![exact("退货"), exact("nobody")]);
    assert!(s.search_customers(t, &none).await.unwrap().is_empty());
    let all = CustomerQuery {
        terms: vec![],
        offset: 1,
        limit: 1,
    };
    assert_eq!(ids(s.search_customers(t, &all).await.unwrap()), vec![a]);
}

async fn a_phone_finds_or_creates_its_customer(s: &dyn Storage) {
    let t = tenant(s, "acme").await;
    let terms = vec!["8613800138000".to_string()];
    let first = s
        .customer_for_phone(t, "+8613800138000", &terms, NOW)
        .await
        .unwrap();
    let again = s
        .customer_for_phone(t, "+8613800138000", &terms, NOW + 1)
        .await
        .unwrap();
    assert_eq!(first, again);
    let c = s.directory_customer(t, first).await.unwrap().unwrap();
    assert_eq!(c.phones, vec!["+8613800138000".to_string()]);
    assert_eq!(c.name, None);
}

async fn merging_moves_keys_and_refuses_what_it_must(s: &dyn Storage) {
    let t = tenant(s, "acme").await;
    let caller = s
        .customer_for_phone(t, "+8613800138000", &["8613800138000".into()], NOW)
        .await
        .unwrap();
    let chat = s
        .upsert_customer(t, "id:u-1", true, &CustomerDetails::default(), NOW)
        .await
        .unwrap();
    let survivor = s.directory_customer(t, chat.id).await.unwrap().unwrap();
    let mut union = write("张三", &["+8613800138000"], &[], "");
    union.host_identity = Some("id:u-1".into());
    // Itself, a missing one, and one of another tenant are refused.
    let itself = s
        .merge_customers(t, chat.id, chat.id, survivor.version, &union, NOW)
        .await;
    assert!(matches!(itself, Err(StorageError::Conflict(_))));
    let other = tenant(s, "other").await;
    let foreign = s
        .customer_for_phone(other, "+8613900139000", &[], NOW)
        .await
        .unwrap();
    let across = s
        .merge_customers(t, chat.id, foreign, survivor.version, &union, NOW)
        .await;
    assert!(matches!(across, Err(StorageError::NotFound)));
    let merged = s
        .merge_customers(t, chat.id, caller, survivor.version, &union, NOW + 1)
        .await
        .unwrap();
    assert_eq!(merged.phones, vec!["+8613800138000".to_string()]);
    assert_eq!(merged.identity, "id:u-1");
    let by_phone = s
        .customer_by_key(t, KeyKind::Phone, "+8613800138000")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(by_phone.id, chat.id);
    let gone = s.directory_customer(t, caller).await.unwrap().unwrap();
    assert_eq!(gone.merged_into, Some(chat.id));
    assert_eq!(s.merged_customers(t, chat.id).await.unwrap(), vec![caller]);
    // A merged record is not merged again, nor found by search.
    let again = s
        .merge_customers(t, chat.id, caller, merged.version, &union, NOW + 2)
        .await;
    assert!(matches!(again, Err(StorageError::NotFound)));
    let listed = s.search_customers(t, &query(vec![])).await.unwrap();
    assert_eq!(
        listed.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![chat.id]
    );
    // The verified identity still reaches the survivor from the chat.
    let back = s.customer_by_identity(t, "id:u-1").await.unwrap().unwrap();
    assert_eq!(back.id, chat.id);
}

async fn a_survivor_takes_a_verified_identity_from_the_merged(s: &dyn Storage) {
    let t = tenant(s, "acme").await;
    let chat = s
        .upsert_customer(t, "id:u-9", true, &CustomerDetails::default(), NOW)
        .await
        .unwrap();
    let caller = s
        .customer_for_phone(t, "+8613800138000", &[], NOW)
        .await
        .unwrap();
    let survivor = s.directory_customer(t, caller).await.unwrap().unwrap();
    let mut union = write("张三", &["+8613800138000"], &[], "");
    union.host_identity = Some("id:u-9".into());
    let merged = s
        .merge_customers(t, caller, chat.id, survivor.version, &union, NOW + 1)
        .await
        .unwrap();
    assert_eq!(merged.identity, "id:u-9");
    assert!(merged.verified);
    let gone = s.directory_customer(t, chat.id).await.unwrap().unwrap();
    assert_eq!(gone.identity, survivor.identity);
    let found = s.customer_by_identity(t, "id:u-9").await.unwrap().unwrap();
    assert_eq!(found.id, caller);
}

async fn records_stay_in_their_tenant(s: &dyn Storage) {
    let t = tenant(s, "acme").await;
    let other = tenant(s, "other").await;
    let id = CustomerId::new();
    let w = write("张三", &["+8613800138000"], &["zs@example.com"], "退货");
    s.create_customer(t, id, &w, NOW).await.unwrap();
    assert!(s.directory_customer(other, id).await.unwrap().is_none());
    assert!(s
        .customer_by_key(other, KeyKind::Phone, "+8613800138000")
        .await
        .unwrap()
        .is_none());
    assert!(s
        .search_customers(other, &query(vec![exact("退货")]))
        .await
        .unwrap()
        .is_empty());
    let edit = s.update_customer(other, id, 2, &w, NOW).await;
    assert!(matches!(edit, Err(StorageError::NotFound)));
    // The same number is another tenant's own key.
    s.create_customer(other, CustomerId::new(), &w, NOW)
        .await
        .unwrap();
    s.set_customer_field_defs(t, "[1]").await.unwrap();
    assert_eq!(s.customer_field_defs(other).await.unwrap(), None);
    assert_eq!(
        s.customer_field_defs(t).await.unwrap().as_deref(),
        Some("[1]")
    );
}

/// A contact of `customer` served by `agent`, in `state`.
fn contact(
    queue: SkillQueueId,
    customer: &str,
    agent: UserId,
    state: ContactStatus,
    at: Millis,
) -> StoredContact {
    StoredContact {
        id: ContactId::new(),
        channel: Channel::Task,
        direction: Direction::Inbound,
        queue,
        priority: CustomerPriority::new(0).unwrap(),
        customer: Some(customer.into()),
        title: None,
        link: None,
        data: "{}".into(),
        state,
        agent: Some(agent),
        offer_expires_at: None,
        created_at: at,
        enqueued_at: at,
        closed_at: (state == ContactStatus::Closed).then_some(at),
        outcome: None,
        summary: None,
        solution: None,
        disposition: None,
        summary_saved: false,
        rating: None,
    }
}

async fn trail_and_service_list_read_contacts_newest_first(s: &dyn Storage) {
    let t = tenant(s, "acme").await;
    let agent = s
        .create_users(
            t,
            &[NewUser {
                login: LoginName::parse("agent1").unwrap(),
                real_name: PersonName::parse("张三").unwrap(),
                display_name: PersonName::parse("小张").unwrap(),
                chat_limit: ChatLimit::new(5).unwrap(),
                role_ids: vec![],
                password_hash: "$argon2id$fake".into(),
                must_change_password: false,
                agent_params: AgentParams::default(),
            }],
            NOW,
        )
        .await
        .unwrap()[0]
        .id;
    let spec = SkillQueueSpec {
        name: SkillQueueName::parse("任务").unwrap(),
        channel: Channel::Task,
        strategy: RoutingStrategy::LongestIdle,
        priority: QueuePriority::new(50).unwrap(),
        max_queue_len: None,
        max_wait_s: None,
        overflow_queue: None,
        tags: vec![],
    };
    let q = s.create_skill_queue(t, &spec, &[]).await.unwrap().id;
    let old = contact(q, "+8613800138000", agent, ContactStatus::Closed, NOW);
    let new = contact(q, "13800138000", agent, ContactStatus::Connected, NOW + 10);
    let stranger = contact(q, "+8613900139000", agent, ContactStatus::WrapUp, NOW + 20);
    // Of the same millisecond as `old`: newest first, then by id.
    let twin = contact(q, "13800138000", agent, ContactStatus::Closed, NOW);
    let batch = EngineBatch {
        new_contacts: vec![old.clone(), new.clone(), stranger.clone(), twin.clone()],
        ..EngineBatch::default()
    };
    s.apply_engine_batch(t, &batch).await.unwrap();
    let forms = vec!["+8613800138000".to_string(), "13800138000".to_string()];
    let ids = |v: Vec<StoredContact>| v.into_iter().map(|c| c.id).collect::<Vec<_>>();
    let (first, second) = if old.id.0 > twin.id.0 {
        (old.id, twin.id)
    } else {
        (twin.id, old.id)
    };
    let trail = s.trail_contacts(t, &forms, None, 10).await.unwrap();
    assert_eq!(ids(trail), vec![new.id, first, second]);
    // A page at a time, one entry each: the two of one millisecond both come, once.
    let (mut cursor, mut paged) = (None, Vec::new());
    while let Some(c) = s.trail_contacts(t, &forms, cursor, 1).await.unwrap().pop() {
        cursor = Some((c.created_at, c.id.0));
        paged.push(c.id);
    }
    assert_eq!(paged, vec![new.id, first, second]);
    let open = s.agent_contacts(t, agent, true, None, 10).await.unwrap();
    assert_eq!(ids(open), vec![stranger.id, new.id]);
    let ended = s.agent_contacts(t, agent, false, None, 10).await.unwrap();
    assert_eq!(ids(ended), vec![first, second]);
    let ended = s
        .agent_contacts(t, agent, false, Some((NOW, first.0)), 10)
        .await
        .unwrap();
    assert_eq!(ids(ended), vec![second]);
    let other = tenant(s, "other").await;
    assert!(s
        .trail_contacts(other, &forms, None, 10)
        .await
        .unwrap()
        .is_empty());
    assert!(s
        .agent_contacts(other, agent, true, None, 10)
        .await
        .unwrap()
        .is_empty());
    assert!(s
        .trail_tickets(t, &forms, &forms, None, 10)
        .await
        .unwrap()
        .is_empty());
}

async fn an_import_stores_all_or_nothing(s: &dyn Storage) {
    let t = tenant(s, "acme").await;
    s.create_customer(
        t,
        CustomerId::new(),
        &write("旧", &["+8613800138000"], &[], ""),
        NOW,
    )
    .await
    .unwrap();
    let fresh = (
        CustomerId::new(),
        write("新一", &["+8613900139000"], &[], ""),
    );
    let taken = (
        CustomerId::new(),
        write("新二", &["+8613800138000"], &[], ""),
    );
    let refused = s.import_customers(t, &[fresh.clone(), taken], NOW).await;
    assert!(matches!(refused, Err(StorageError::Conflict(_))));
    assert!(
        s.directory_customer(t, fresh.0).await.unwrap().is_none(),
        "nothing stored"
    );
    assert_eq!(
        s.import_customers(t, std::slice::from_ref(&fresh), NOW)
            .await
            .unwrap(),
        1
    );
    let found = s
        .search_customers(t, &query(vec![exact("新一")]))
        .await
        .unwrap();
    assert_eq!(found[0].id, fresh.0);
}

switchboard_storage::story_tests!(
    an_import_stores_all_or_nothing,
    a_customer_is_found_by_each_key,
    edits_are_version_checked,
    search_finds_chinese_and_english_newest_first,
    a_phone_finds_or_creates_its_customer,
    merging_moves_keys_and_refuses_what_it_must,
    a_survivor_takes_a_verified_identity_from_the_merged,
    records_stay_in_their_tenant,
    trail_and_service_list_read_contacts_newest_first,
);
