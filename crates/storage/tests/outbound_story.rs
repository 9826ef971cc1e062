//! Outbound configuration stories, run against both SQLite and PostgreSQL: number groups
//! with their numbers and queues (and what deleting either does), the numbers an agent may
//! present as caller ID, the tenant's destination rules, and counting an agent's outbound
//! calls — each staying in its tenant.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use switchboard_engine::*;
use switchboard_storage::*;

const NOW: Millis = 1_790_000_000_000;

/// A tenant with two agents, a trunk, a voice queue binding the first agent, and a second
/// voice queue binding nobody.
struct Setup {
    tenant: TenantId,
    agent: UserId,
    idle: UserId,
    trunk: SipTrunkId,
    queue: SkillQueueId,
    unbound_queue: SkillQueueId,
}

fn new_user(login: &str) -> NewUser {
    NewUser {
        login: LoginName::parse(login).unwrap(),
        real_name: PersonName::parse("张三").unwrap(),
        display_name: PersonName::parse("小张").unwrap(),
        chat_limit: ChatLimit::new(5).unwrap(),
        role_ids: vec![],
        password_hash: "$argon2id$fake".into(),
        must_change_password: false,
        agent_params: AgentParams::default(),
    }
}

async fn voice_queue(s: &dyn Storage, t: TenantId, name: &str, agents: &[UserId]) -> SkillQueueId {
    let spec = SkillQueueSpec {
        name: SkillQueueName::parse(name).unwrap(),
        channel: Channel::Voice,
        strategy: RoutingStrategy::LongestIdle,
        priority: QueuePriority::new(50).unwrap(),
        max_queue_len: None,
        max_wait_s: Some(60),
        overflow_queue: None,
        tags: vec![],
    };
    let agents: Vec<QueueAgent> = agents
        .iter()
        .map(|&user_id| QueueAgent {
            user_id,
            skill_level: SkillLevel::new(1).unwrap(),
        })
        .collect();
    s.create_skill_queue(t, &spec, &agents).await.unwrap().id
}

async fn setup(s: &dyn Storage, name: &str) -> Setup {
    let t = s
        .create_tenant(&TenantName::parse(name).unwrap(), name, NOW)
        .await
        .unwrap();
    let users = s
        .create_users(t.id, &[new_user("agent1"), new_user("agent2")], NOW)
        .await
        .unwrap();
    let trunk = SipTrunk {
        id: SipTrunkId::new(),
        name: "电信".into(),
        peers: vec!["192.0.2.1".parse().unwrap()],
        enabled: true,
        registration: None,
        outbound: Some(OutboundProxy {
            host: "192.0.2.1".into(),
            port: 5060,
        }),
    };
    s.save_sip_trunk(t.id, &trunk, NOW).await.unwrap();
    Setup {
        tenant: t.id,
        agent: users[0].id,
        idle: users[1].id,
        trunk: trunk.id,
        queue: voice_queue(s, t.id, "售前", &[users[0].id]).await,
        unbound_queue: voice_queue(s, t.id, "售后", &[]).await,
    }
}

async fn number(
    s: &dyn Storage,
    at: &Setup,
    number: &str,
    trunk: Option<SipTrunkId>,
) -> HotlineNumberId {
    let n = HotlineNumber {
        id: HotlineNumberId::new(),
        number: number.into(),
        inbound: true,
        survey: false,
        route: NumberRoute::Queue(at.queue),
        outbound: trunk.is_some(),
        outbound_trunk: trunk,
    };
    s.save_hotline_number(at.tenant, &n, NOW).await.unwrap();
    n.id
}

fn group(name: &str, numbers: &[HotlineNumberId], queues: &[SkillQueueId]) -> NumberGroup {
    NumberGroup {
        id: NumberGroupId::new(),
        name: name.into(),
        numbers: numbers.to_vec(),
        queues: queues.to_vec(),
        default_number: numbers.first().copied(),
    }
}

async fn numbers_carry_their_outbound_trunk(s: &dyn Storage) {
    let at = setup(s, "acme").await;
    let other = setup(s, "other").await;
    let n = number(s, &at, "+861088880000", Some(at.trunk)).await;
    let stored = s.hotline_numbers(at.tenant).await.unwrap();
    assert_eq!(
        (stored[0].outbound, stored[0].outbound_trunk),
        (true, Some(at.trunk))
    );
    // Another tenant's trunk is refused; nothing changes.
    let foreign = HotlineNumber {
        outbound_trunk: Some(other.trunk),
        ..stored[0].clone()
    };
    assert!(matches!(
        s.save_hotline_number(at.tenant, &foreign, NOW).await,
        Err(StorageError::NotFound)
    ));
    assert_eq!(s.hotline_numbers(at.tenant).await.unwrap(), stored);
    // Deleting the trunk leaves the number, without a trunk.
    s.delete_sip_trunk(at.tenant, at.trunk).await.unwrap();
    let after = s.hotline_numbers(at.tenant).await.unwrap();
    assert_eq!((after[0].id, after[0].outbound_trunk), (n, None));
}

async fn groups_round_trip_and_follow_deletions(s: &dyn Storage) {
    let at = setup(s, "acme").await;
    let a = number(s, &at, "4002", Some(at.trunk)).await;
    let b = number(s, &at, "4001", Some(at.trunk)).await;
    let g = NumberGroup {
        default_number: Some(a),
        ..group("北京", &[a, b], &[at.unbound_queue, at.queue])
    };
    s.save_number_group(at.tenant, &g, NOW).await.unwrap();
    let stored = s.number_groups(at.tenant).await.unwrap();
    assert_eq!(
        stored,
        [NumberGroup {
            numbers: vec![b, a],
            queues: vec![at.queue, at.unbound_queue],
            ..g.clone()
        }],
        "numbers by number, queues by name (售前 before 售后)"
    );

    // The lists are replaced whole.
    let changed = NumberGroup {
        name: "北京外呼".into(),
        numbers: vec![b],
        queues: vec![at.queue],
        default_number: Some(b),
        ..g.clone()
    };
    s.save_number_group(at.tenant, &changed, NOW).await.unwrap();
    assert_eq!(s.number_groups(at.tenant).await.unwrap(), [changed.clone()]);

    // A name is taken once; a default outside the numbers is refused; nothing changes.
    let twin = group("北京外呼", &[a], &[]);
    assert!(matches!(
        s.save_number_group(at.tenant, &twin, NOW).await,
        Err(StorageError::Conflict(_))
    ));
    let stray = NumberGroup {
        default_number: Some(a),
        ..changed.clone()
    };
    assert!(matches!(
        s.save_number_group(at.tenant, &stray, NOW).await,
        Err(StorageError::Reference(_))
    ));
    assert_eq!(s.number_groups(at.tenant).await.unwrap(), [changed.clone()]);

    // Deleting the default number takes it out of the group and clears the default;
    // deleting the queue unbinds it.
    s.delete_hotline_number(at.tenant, b).await.unwrap();
    s.delete_skill_queue(at.tenant, at.queue).await.unwrap();
    let left = s.number_groups(at.tenant).await.unwrap();
    assert_eq!(
        (
            left[0].numbers.len(),
            left[0].queues.len(),
            left[0].default_number
        ),
        (0, 0, None)
    );
    s.delete_number_group(at.tenant, g.id).await.unwrap();
    assert!(s.number_groups(at.tenant).await.unwrap().is_empty());
    assert!(matches!(
        s.delete_number_group(at.tenant, g.id).await,
        Err(StorageError::NotFound)
    ));
}

async fn groups_stay_in_their_tenant(s: &dyn Storage) {
    let at = setup(s, "acme").await;
    let other = setup(s, "other").await;
    let mine = number(s, &at, "4001", Some(at.trunk)).await;
    let theirs = number(s, &other, "4001", Some(other.trunk)).await;
    // Another tenant's number or queue is not found.
    for g in [
        group("g", &[mine, theirs], &[at.queue]),
        group("g", &[mine], &[other.queue]),
    ] {
        assert!(matches!(
            s.save_number_group(at.tenant, &g, NOW).await,
            Err(StorageError::NotFound)
        ));
    }
    assert!(s.number_groups(at.tenant).await.unwrap().is_empty());
    let g = group("g", &[mine], &[at.queue]);
    s.save_number_group(at.tenant, &g, NOW).await.unwrap();
    // Another tenant can neither see, take over nor delete it.
    assert!(s.number_groups(other.tenant).await.unwrap().is_empty());
    let taken = group("g", &[theirs], &[other.queue]);
    assert!(matches!(
        s.save_number_group(other.tenant, &NumberGroup { id: g.id, ..taken }, NOW)
            .await,
        Err(StorageError::NotFound)
    ));
    assert!(matches!(
        s.delete_number_group(other.tenant, g.id).await,
        Err(StorageError::NotFound)
    ));
    assert_eq!(s.number_groups(at.tenant).await.unwrap(), [g]);
}

async fn an_agent_presents_the_numbers_of_their_queues_groups(s: &dyn Storage) {
    let at = setup(s, "acme").await;
    let beijing = number(s, &at, "+861088880000", Some(at.trunk)).await;
    let shanghai = number(s, &at, "+862166660000", Some(at.trunk)).await;
    let inbound_only = number(s, &at, "4000", None).await;
    let elsewhere = number(s, &at, "+862088880000", Some(at.trunk)).await;
    // 北京 gives both numbers, Shanghai's the default; 上海 (a later name) gives Shanghai's
    // again; 其他 binds only the unbound queue.
    let mut g1 = group("北京", &[beijing, shanghai, inbound_only], &[at.queue]);
    g1.default_number = Some(shanghai);
    s.save_number_group(at.tenant, &g1, NOW).await.unwrap();
    let g2 = group("上海", &[shanghai], &[at.queue]);
    s.save_number_group(at.tenant, &g2, NOW).await.unwrap();
    s.save_number_group(
        at.tenant,
        &group("其他", &[elsewhere], &[at.unbound_queue]),
        NOW,
    )
    .await
    .unwrap();

    let mine = s.caller_numbers(at.tenant, at.agent).await.unwrap();
    let seen: Vec<_> = mine
        .iter()
        .map(|c| (c.number.as_str(), c.group.as_str(), c.default, c.trunk))
        .collect();
    // Group names sort by their UTF-8 bytes: 上 (E4 B8 8A) before 北 (E5 8C 97).
    assert_eq!(
        seen,
        [
            ("+862166660000", "上海", true, at.trunk),
            ("+861088880000", "北京", false, at.trunk),
        ],
        "the default first, each number once, without the one not outbound or not the agent's"
    );
    assert!(s
        .caller_numbers(at.tenant, at.idle)
        .await
        .unwrap()
        .is_empty());

    // A disabled trunk carries no calls: its numbers are not offered.
    let mut trunk = s.sip_trunks(at.tenant).await.unwrap().remove(0);
    trunk.enabled = false;
    s.save_sip_trunk(at.tenant, &trunk, NOW).await.unwrap();
    assert!(s
        .caller_numbers(at.tenant, at.agent)
        .await
        .unwrap()
        .is_empty());
}

async fn caller_numbers_stay_in_their_tenant(s: &dyn Storage) {
    let at = setup(s, "acme").await;
    let other = setup(s, "other").await;
    let theirs = number(s, &other, "+861088880000", Some(other.trunk)).await;
    s.save_number_group(other.tenant, &group("g", &[theirs], &[other.queue]), NOW)
        .await
        .unwrap();
    assert!(s
        .caller_numbers(at.tenant, at.agent)
        .await
        .unwrap()
        .is_empty());
    assert!(
        s.caller_numbers(at.tenant, other.agent)
            .await
            .unwrap()
            .is_empty(),
        "another tenant's agent, asked in this tenant"
    );
    assert_eq!(
        s.caller_numbers(other.tenant, other.agent)
            .await
            .unwrap()
            .len(),
        1
    );
}

fn rule(prefix: &str, digits: (u8, u8), allow: bool, label: &str) -> OutboundRule {
    OutboundRule {
        prefix: prefix.into(),
        min_digits: digits.0,
        max_digits: digits.1,
        allow,
        label: label.into(),
    }
}

async fn the_policy_round_trips_per_tenant(s: &dyn Storage) {
    let at = setup(s, "acme").await;
    let other = setup(s, "other").await;
    assert_eq!(
        s.outbound_policy(at.tenant).await.unwrap(),
        None,
        "never saved"
    );
    let rules = vec![
        rule("+86", (11, 13), true, "国内"),
        rule("+1", (11, 11), true, "North America"),
        rule("+86168", (1, 20), false, "声讯台"),
    ];
    s.set_outbound_policy(at.tenant, &rules, Some(50))
        .await
        .unwrap();
    let saved = StoredOutboundPolicy {
        rules: rules.clone(),
        daily_limit: Some(50),
    };
    assert_eq!(
        s.outbound_policy(at.tenant).await.unwrap(),
        Some(saved),
        "in order"
    );
    assert_eq!(s.outbound_policy(other.tenant).await.unwrap(), None);
    // Replaced whole; no rules and no limit is a saved policy too.
    s.set_outbound_policy(at.tenant, &rules[2..], None)
        .await
        .unwrap();
    assert_eq!(
        s.outbound_policy(at.tenant).await.unwrap(),
        Some(StoredOutboundPolicy {
            rules: rules[2..].to_vec(),
            daily_limit: None
        })
    );
    s.set_outbound_policy(at.tenant, &[], None).await.unwrap();
    assert_eq!(
        s.outbound_policy(at.tenant).await.unwrap(),
        Some(StoredOutboundPolicy {
            rules: vec![],
            daily_limit: None
        })
    );
}

fn call(direction: CallDirection, agent: Option<UserId>, started_at: Millis) -> CallRecord {
    CallRecord {
        id: uuid::Uuid::now_v7(),
        caller: "+861088880000".into(),
        dialled: "13800138000".into(),
        direction,
        started_at,
        answered_at: None,
        ended_at: None,
        queue: None,
        queued_at: None,
        wait_ms: None,
        agent,
        released_by: None,
        end_status: None,
        contact: None,
        recording: false,
        recording_ms: None,
        ivr_path: String::new(),
        variables: Vec::new(),
        survey: None,
        survey_score: None,
        handoffs: Vec::new(),
    }
}

async fn outbound_calls_are_counted_per_agent(s: &dyn Storage) {
    let at = setup(s, "acme").await;
    let other = setup(s, "other").await;
    let me = Some(at.agent);
    for r in [
        call(CallDirection::Outbound, me, NOW - 1),
        call(CallDirection::Outbound, me, NOW),
        call(CallDirection::Outbound, me, NOW + 5),
        call(CallDirection::Inbound, me, NOW + 5),
        call(CallDirection::Outbound, Some(at.idle), NOW + 5),
    ] {
        s.save_call_record(at.tenant, &r).await.unwrap();
    }
    s.save_call_record(other.tenant, &call(CallDirection::Outbound, me, NOW))
        .await
        .unwrap();
    assert_eq!(
        s.outbound_calls_since(at.tenant, at.agent, NOW)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        s.outbound_calls_since(at.tenant, at.idle, 0).await.unwrap(),
        1
    );
    assert_eq!(
        s.outbound_calls_since(other.tenant, at.agent, 0)
            .await
            .unwrap(),
        1
    );
}

switchboard_storage::story_tests!(
    numbers_carry_their_outbound_trunk,
    groups_round_trip_and_follow_deletions,
    groups_stay_in_their_tenant,
    an_agent_presents_the_numbers_of_their_queues_groups,
    caller_numbers_stay_in_their_tenant,
    the_policy_round_trips_per_tenant,
    outbound_calls_are_counted_per_agent,
);
