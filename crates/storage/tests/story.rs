//! One story suite, run against both SQLite and PostgreSQL: both must behave the same.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use switchboard_engine::*;
use switchboard_storage::*;

const NOW: Millis = 1_790_000_000_000;

async fn tenant(s: &dyn Storage, name: &str) -> Tenant {
    s.create_tenant(&TenantName::parse(name).unwrap(), name, NOW)
        .await
        .unwrap()
}

fn new_user(login: &str, roles: &[&Role]) -> NewUser {
    NewUser {
        login: LoginName::parse(login).unwrap(),
        real_name: PersonName::parse("张三").unwrap(),
        display_name: PersonName::parse("小张").unwrap(),
        chat_limit: ChatLimit::new(5).unwrap(),
        role_ids: roles.iter().map(|r| r.id).collect(),
        password_hash: "$argon2id$fake".into(),
        must_change_password: true,
        agent_params: AgentParams::default(),
    }
}

async fn role_named(s: &dyn Storage, t: TenantId, name: &str) -> Role {
    s.roles(t)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.name.as_str() == name)
        .unwrap()
}

fn queue_spec(name: &str) -> SkillQueueSpec {
    SkillQueueSpec {
        name: SkillQueueName::parse(name).unwrap(),
        channel: Channel::Voice,
        strategy: RoutingStrategy::LongestIdle,
        priority: QueuePriority::new(50).unwrap(),
        max_queue_len: Some(100),
        max_wait_s: None,
        overflow_queue: None,
        tags: vec![],
    }
}

async fn tenants_have_default_params_and_unique_names(s: &dyn Storage) {
    let t = tenant(s, "acme").await;
    let again = s.create_tenant(&t.name, "dup", NOW).await;
    assert!(matches!(again, Err(StorageError::Conflict(_))), "{again:?}");
    assert_eq!(s.tenant_by_name(&t.name).await.unwrap().unwrap().id, t.id);
    assert!(s
        .tenant_by_name(&TenantName::parse("nobody").unwrap())
        .await
        .unwrap()
        .is_none());
    assert_eq!(
        s.tenant_params(t.id).await.unwrap(),
        TenantParams::default()
    );
    let changed = TenantParams {
        sign_in_mode: TenantSignInMode::UnifiedSpecified,
        post_sign_in_state: PostSignInState::Busy,
        wrap_up_limit: WrapUpLimit::new(120).unwrap(),
        summary_required: true,
        ..TenantParams::default()
    };
    assert_eq!(s.tenant_zone(t.id).await.unwrap().name(), "Asia/Shanghai");
    let berlin = switchboard_engine::TenantZone::parse("Europe/Berlin").unwrap();
    s.set_tenant_params(t.id, &changed, &berlin).await.unwrap();
    assert_eq!(s.tenant_params(t.id).await.unwrap(), changed);
    assert_eq!(s.tenant_zone(t.id).await.unwrap(), berlin);
}

async fn builtin_roles_and_users_round_trip(s: &dyn Storage) {
    let t = tenant(s, "acme").await;
    let roles = s.roles(t.id).await.unwrap();
    let names: Vec<_> = roles.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["admin", "agent", "supervisor"]);
    let agent = role_named(s, t.id, "agent").await;
    assert!(agent.builtin && agent.permissions.contains(&Permission::ResetQueues));
    let admin = role_named(s, t.id, "admin").await;
    assert_eq!(admin.permissions.len(), Permission::ALL.len());

    let created = s
        .create_users(t.id, &[new_user("Agent7", &[&agent])], NOW)
        .await
        .unwrap();
    let u = &created[0];
    assert_eq!(u.login.as_str(), "agent7");
    assert_eq!(u.real_name.as_str(), "张三");
    assert_eq!(
        u.roles.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        ["agent"]
    );
    assert!(u.must_change_password && u.active);

    let creds = s.credentials(t.id, &u.login).await.unwrap().unwrap();
    assert_eq!(creds.password_hash, "$argon2id$fake");
    assert_eq!(&creds.user, u);

    let supervisor = role_named(s, t.id, "supervisor").await;
    let patch = UserPatch {
        display_name: Some(PersonName::parse("Zhang").unwrap()),
        chat_limit: Some(ChatLimit::new(9).unwrap()),
        role_ids: Some(vec![agent.id, supervisor.id]),
        agent_params: Some(AgentParams {
            sign_in_mode: AgentSignInMode::Specified,
            auto_answer: true,
        }),
        ..UserPatch::default()
    };
    let updated = s.update_user(t.id, u.id, &patch, NOW + 1).await.unwrap();
    assert_eq!(updated.display_name.as_str(), "Zhang");
    assert_eq!(updated.real_name.as_str(), "张三", "untouched fields stay");
    assert_eq!(updated.chat_limit.get(), 9);
    assert_eq!(updated.roles.len(), 2);
    assert_eq!(
        updated.agent_params.sign_in_mode,
        AgentSignInMode::Specified
    );

    s.set_password(t.id, u.id, "$argon2id$new", false, NOW + 2)
        .await
        .unwrap();
    let creds = s.credentials(t.id, &u.login).await.unwrap().unwrap();
    assert_eq!(creds.password_hash, "$argon2id$new");
    assert!(!creds.user.must_change_password);
    assert_eq!(s.users(t.id).await.unwrap().len(), 1);
}

async fn bulk_user_creation_is_all_or_nothing(s: &dyn Storage) {
    let t = tenant(s, "acme").await;
    let agent = role_named(s, t.id, "agent").await;
    s.create_users(t.id, &[new_user("taken", &[&agent])], NOW)
        .await
        .unwrap();
    let batch = [
        new_user("fresh1", &[&agent]),
        new_user("fresh2", &[]),
        new_user("taken", &[]),
    ];
    let result = s.create_users(t.id, &batch, NOW).await;
    assert!(
        matches!(result, Err(StorageError::Conflict(_))),
        "{result:?}"
    );
    let logins: Vec<_> = s
        .users(t.id)
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.login.to_string())
        .collect();
    assert_eq!(logins, ["taken"], "nothing of the failed batch was written");
}

async fn custom_roles_can_change_and_are_protected_while_in_use(s: &dyn Storage) {
    let t = tenant(s, "acme").await;
    let name = RoleName::parse("质检员").unwrap();
    let qa = s
        .create_role(t.id, &name, &[Permission::RecordingAccess])
        .await
        .unwrap();
    assert!(!qa.builtin);
    assert!(matches!(
        s.create_role(t.id, &name, &[]).await,
        Err(StorageError::Conflict(_))
    ));
    let qa = s
        .update_role(
            t.id,
            qa.id,
            None,
            Some(&[Permission::RecordingAccess, Permission::Monitor]),
        )
        .await
        .unwrap();
    assert_eq!(
        qa.permissions,
        [Permission::Monitor, Permission::RecordingAccess]
    );
    let user = s
        .create_users(t.id, &[new_user("qa1", &[&qa])], NOW)
        .await
        .unwrap()
        .remove(0);
    assert!(matches!(
        s.delete_role(t.id, qa.id).await,
        Err(StorageError::Reference(_))
    ));
    s.update_user(
        t.id,
        user.id,
        &UserPatch {
            role_ids: Some(vec![]),
            ..Default::default()
        },
        NOW,
    )
    .await
    .unwrap();
    s.delete_role(t.id, qa.id).await.unwrap();
    assert!(s.role(t.id, qa.id).await.unwrap().is_none());
    assert!(matches!(
        s.delete_role(t.id, qa.id).await,
        Err(StorageError::NotFound)
    ));
}

async fn sessions_carry_permissions_and_end(s: &dyn Storage) {
    let t = tenant(s, "acme").await;
    let agent = role_named(s, t.id, "agent").await;
    let u = s
        .create_users(t.id, &[new_user("a1", &[&agent])], NOW)
        .await
        .unwrap()
        .remove(0);
    let session = NewSession {
        token_hash: "h1".into(),
        tenant_id: t.id,
        user_id: u.id,
        created_at: NOW,
        expires_at: NOW + 1000,
    };
    s.create_session(&session).await.unwrap();
    let p = s.principal("h1", NOW + 1).await.unwrap().unwrap();
    assert_eq!(p.user_id, u.id);
    assert_eq!(p.tenant_name.as_str(), "acme");
    assert!(p.may(Permission::AgentWork) && p.may(Permission::ResetQueues));
    assert!(!p.may(Permission::ManageUsers));
    assert!(p.must_change_password);
    assert!(
        s.principal("h1", NOW + 1000).await.unwrap().is_none(),
        "expired"
    );
    assert!(s.principal("nope", NOW).await.unwrap().is_none());

    let admin = role_named(s, t.id, "admin").await;
    let boss = s
        .create_users(t.id, &[new_user("boss", &[&admin])], NOW)
        .await
        .unwrap()
        .remove(0);
    s.create_session(&NewSession {
        token_hash: "hb".into(),
        user_id: boss.id,
        ..session.clone()
    })
    .await
    .unwrap();
    let p = s.principal("hb", NOW + 1).await.unwrap().unwrap();
    assert_eq!(
        p.permissions,
        Permission::ALL.to_vec(),
        "the built-in admin holds everything"
    );

    s.update_user(
        t.id,
        u.id,
        &UserPatch {
            active: Some(false),
            ..Default::default()
        },
        NOW,
    )
    .await
    .unwrap();
    assert!(
        s.principal("h1", NOW + 1).await.unwrap().is_none(),
        "deactivated users lose sessions"
    );

    s.update_user(
        t.id,
        u.id,
        &UserPatch {
            active: Some(true),
            ..Default::default()
        },
        NOW,
    )
    .await
    .unwrap();
    s.create_session(&NewSession {
        token_hash: "h2".into(),
        ..session.clone()
    })
    .await
    .unwrap();
    s.delete_session("h2").await.unwrap();
    assert!(s.principal("h2", NOW + 1).await.unwrap().is_none());
    s.create_session(&NewSession {
        token_hash: "h3".into(),
        ..session
    })
    .await
    .unwrap();
    s.delete_user_sessions(t.id, u.id).await.unwrap();
    assert!(s.principal("h3", NOW + 1).await.unwrap().is_none());
}

async fn skill_queues_with_agents_tags_and_overflow(s: &dyn Storage) {
    let t = tenant(s, "acme").await;
    let agent = role_named(s, t.id, "agent").await;
    let users = s
        .create_users(
            t.id,
            &[new_user("a1", &[&agent]), new_user("a2", &[&agent])],
            NOW,
        )
        .await
        .unwrap();
    let vip = s
        .create_tag(t.id, &TagName::parse("VIP").unwrap())
        .await
        .unwrap();
    assert!(matches!(
        s.create_tag(t.id, &vip.name).await,
        Err(StorageError::Conflict(_))
    ));
    let overflow = s
        .create_skill_queue(t.id, &queue_spec("售后"), &[])
        .await
        .unwrap();
    let level = |n| SkillLevel::new(n).unwrap();
    let spec = SkillQueueSpec {
        overflow_queue: Some(overflow.id),
        tags: vec![vip.id],
        ..queue_spec("售前")
    };
    let q = s
        .create_skill_queue(
            t.id,
            &spec,
            &[QueueAgent {
                user_id: users[0].id,
                skill_level: level(7),
            }],
        )
        .await
        .unwrap();
    assert_eq!(q.spec, spec);
    assert_eq!(q.agents.len(), 1);

    let q = s
        .set_queue_agents(
            t.id,
            q.id,
            &[
                QueueAgent {
                    user_id: users[0].id,
                    skill_level: level(3),
                },
                QueueAgent {
                    user_id: users[1].id,
                    skill_level: level(9),
                },
            ],
        )
        .await
        .unwrap();
    assert_eq!(
        q.agents[0],
        QueueAgent {
            user_id: users[1].id,
            skill_level: level(9)
        }
    );

    let renamed = SkillQueueSpec {
        channel: Channel::Chat,
        ..spec.clone()
    };
    let q2 = s.update_skill_queue(t.id, q.id, &renamed).await.unwrap();
    assert_eq!(q2.spec.channel, Channel::Chat);
    assert_eq!(
        q2.agents.len(),
        2,
        "updating settings keeps the bound agents"
    );

    assert!(
        matches!(
            s.delete_skill_queue(t.id, overflow.id).await,
            Err(StorageError::Reference(_))
        ),
        "an overflow target cannot vanish under its queue"
    );
    s.delete_tag(t.id, vip.id).await.unwrap();
    assert!(s
        .skill_queue(t.id, q.id)
        .await
        .unwrap()
        .unwrap()
        .spec
        .tags
        .is_empty());
    s.delete_skill_queue(t.id, q.id).await.unwrap();
    s.delete_skill_queue(t.id, overflow.id).await.unwrap();
    assert!(s.skill_queues(t.id).await.unwrap().is_empty());
}

async fn no_call_reaches_into_another_tenant(s: &dyn Storage) {
    let a = tenant(s, "alpha").await;
    let b = tenant(s, "beta").await;
    let b_agent = role_named(s, b.id, "agent").await;
    let b_user = s
        .create_users(b.id, &[new_user("same", &[&b_agent])], NOW)
        .await
        .unwrap()
        .remove(0);
    let b_queue = s
        .create_skill_queue(b.id, &queue_spec("q"), &[])
        .await
        .unwrap();
    let b_tag = s
        .create_tag(b.id, &TagName::parse("t").unwrap())
        .await
        .unwrap();

    assert!(s.user(a.id, b_user.id).await.unwrap().is_none());
    assert!(s.users(a.id).await.unwrap().is_empty());
    assert!(s.credentials(a.id, &b_user.login).await.unwrap().is_none());
    assert!(matches!(
        s.update_user(a.id, b_user.id, &UserPatch::default(), NOW)
            .await,
        Err(StorageError::NotFound)
    ));
    assert!(matches!(
        s.set_password(a.id, b_user.id, "x", false, NOW).await,
        Err(StorageError::NotFound)
    ));
    assert!(s.role(a.id, b_agent.id).await.unwrap().is_none());
    assert!(matches!(
        s.delete_role(a.id, b_agent.id).await,
        Err(StorageError::NotFound)
    ));
    assert!(matches!(
        s.update_role(a.id, b_agent.id, None, Some(&[])).await,
        Err(StorageError::NotFound)
    ));
    assert!(s.skill_queue(a.id, b_queue.id).await.unwrap().is_none());
    assert!(matches!(
        s.delete_skill_queue(a.id, b_queue.id).await,
        Err(StorageError::NotFound)
    ));
    assert!(matches!(
        s.set_queue_agents(a.id, b_queue.id, &[]).await,
        Err(StorageError::NotFound)
    ));
    assert!(matches!(
        s.delete_tag(a.id, b_tag.id).await,
        Err(StorageError::NotFound)
    ));

    // Links that name another tenant's records are refused by the database itself.
    let a_agent = role_named(s, a.id, "agent").await;
    let cross_role = s
        .create_users(a.id, &[new_user("x", &[&b_agent])], NOW)
        .await;
    assert!(
        matches!(cross_role, Err(StorageError::Reference(_))),
        "{cross_role:?}"
    );
    let a_queue = s
        .create_skill_queue(a.id, &queue_spec("q"), &[])
        .await
        .unwrap();
    let cross_agent = s
        .set_queue_agents(
            a.id,
            a_queue.id,
            &[QueueAgent {
                user_id: b_user.id,
                skill_level: SkillLevel::new(1).unwrap(),
            }],
        )
        .await;
    assert!(
        matches!(cross_agent, Err(StorageError::Reference(_))),
        "{cross_agent:?}"
    );
    let cross_links = SkillQueueSpec {
        overflow_queue: Some(b_queue.id),
        ..queue_spec("q2")
    };
    assert!(matches!(
        s.create_skill_queue(a.id, &cross_links, &[]).await,
        Err(StorageError::Reference(_))
    ));
    let cross_tag = SkillQueueSpec {
        tags: vec![b_tag.id],
        ..queue_spec("q3")
    };
    assert!(matches!(
        s.create_skill_queue(a.id, &cross_tag, &[]).await,
        Err(StorageError::Reference(_))
    ));
    assert_eq!(
        s.skill_queues(a.id).await.unwrap().len(),
        1,
        "refused creations left nothing"
    );
    let _ = a_agent;
}

async fn engine_batches_keep_contacts_events_and_sessions(s: &dyn Storage) {
    use switchboard_engine::acd::*;
    let t = tenant(s, "acme").await;
    let agent_role = role_named(s, t.id, "agent").await;
    let agent = s
        .create_users(t.id, &[new_user("a1", &[&agent_role])], NOW)
        .await
        .unwrap()
        .remove(0);
    let q = s
        .create_skill_queue(t.id, &queue_spec("任务"), &[])
        .await
        .unwrap();
    let contact = StoredContact {
        id: ContactId::new(),
        channel: Channel::Task,
        direction: Direction::Inbound,
        queue: q.id,
        priority: CustomerPriority::new(3).unwrap(),
        customer: Some("13800138000".into()),
        title: Some("回访 follow-up".into()),
        link: None,
        data: r#"{"地址":"上海"}"#.into(),
        state: ContactStatus::Queued,
        agent: None,
        offer_expires_at: None,
        created_at: NOW,
        enqueued_at: NOW,
        closed_at: None,
        outcome: None,
        summary: None,
        solution: None,
        disposition: None,
        summary_saved: false,
        rating: None,
    };
    let event = |kind, at| EventRecord {
        at,
        kind,
        agent: Some(agent.id),
        contact: Some(contact.id),
        queue: Some(q.id),
        detail: "{}".into(),
    };
    let session = AgentSession {
        agent: agent.id,
        queues: vec![q.id],
        presence: RestoredPresence::Busy,
        reason: Some(ReasonCode::parse("培训").unwrap()),
        since: NOW,
    };
    s.apply_engine_batch(
        t.id,
        &EngineBatch {
            new_contacts: vec![contact.clone()],
            events: vec![event("contact.created", NOW), event("contact.queued", NOW)],
            sessions: vec![session.clone()],
            ..EngineBatch::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(s.open_contacts(t.id).await.unwrap(), vec![contact.clone()]);
    assert_eq!(s.agent_sessions(t.id).await.unwrap(), vec![session]);

    let connected = ContactUpdate {
        id: contact.id,
        state: ContactStatus::Connected,
        queue: Some(q.id),
        agent: Some(agent.id),
        offer_expires_at: None,
        closed_at: None,
        outcome: None,
        summary_saved: Some(false),
        updated_at: NOW + 1,
    };
    let closed = ContactUpdate {
        state: ContactStatus::Closed,
        agent: None,
        closed_at: Some(NOW + 2),
        outcome: Some(ContactOutcome::Completed),
        summary_saved: Some(true),
        updated_at: NOW + 2,
        ..connected.clone()
    };
    s.apply_engine_batch(
        t.id,
        &EngineBatch {
            contact_updates: vec![connected, closed],
            summaries: vec![(
                contact.id,
                ContactSummary {
                    problem: "已解决 solved".into(),
                    solution: Some("重置密码 reset".into()),
                    disposition: Some("resolved".into()),
                },
            )],
            events: vec![
                event("contact.connected", NOW + 1),
                event("contact.closed", NOW + 2),
            ],
            ended_sessions: vec![agent.id],
            ..EngineBatch::default()
        },
    )
    .await
    .unwrap();
    let stored = s.stored_contact(t.id, contact.id).await.unwrap().unwrap();
    assert_eq!(stored.state, ContactStatus::Closed);
    assert_eq!(
        stored.agent,
        Some(agent.id),
        "the serving agent is kept after close"
    );
    assert_eq!(stored.summary.as_deref(), Some("已解决 solved"));
    assert_eq!(stored.solution.as_deref(), Some("重置密码 reset"));
    assert_eq!(stored.disposition.as_deref(), Some("resolved"));
    assert!(s.open_contacts(t.id).await.unwrap().is_empty());
    assert!(s.agent_sessions(t.id).await.unwrap().is_empty());
    assert_eq!(
        s.last_agent_of_customer(t.id, "13800138000").await.unwrap(),
        Some(agent.id)
    );
    let kinds: Vec<_> = s
        .contact_events(t.id, contact.id)
        .await
        .unwrap()
        .iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            "contact.created",
            "contact.queued",
            "contact.connected",
            "contact.closed"
        ]
    );
    let other = s
        .create_tenant(&TenantName::parse("other").unwrap(), "o", NOW)
        .await
        .unwrap();
    assert!(
        s.stored_contact(other.id, contact.id)
            .await
            .unwrap()
            .is_none(),
        "tenant-scoped"
    );
    assert!(s
        .contact_events(other.id, contact.id)
        .await
        .unwrap()
        .is_empty());
}

async fn chat_messages_are_ordered_idempotent_and_recallable(s: &dyn Storage) {
    use switchboard_engine::acd::*;
    use switchboard_engine::chat::*;
    let t = tenant(s, "acme").await;
    let q = s
        .create_skill_queue(
            t.id,
            &SkillQueueSpec {
                channel: Channel::Chat,
                ..queue_spec("在线")
            },
            &[],
        )
        .await
        .unwrap();
    let entry = ChatEntry {
        id: ChatEntryId::new(),
        name: EntryName::parse("web").unwrap(),
        title: "在线客服".into(),
        queue: q.id,
        prechat_form: true,
        identity_secret: None,
    };
    s.create_chat_entry(t.id, &entry, NOW).await.unwrap();
    assert_eq!(
        s.chat_entry(t.id, &entry.name).await.unwrap(),
        Some(entry.clone())
    );
    assert!(matches!(
        s.create_chat_entry(t.id, &entry, NOW).await,
        Err(StorageError::Conflict(_))
    ));

    let details = CustomerDetails {
        name: Some("王女士".into()),
        ..CustomerDetails::default()
    };
    let c1 = s
        .upsert_customer(t.id, "visitor:abc", false, &details, NOW)
        .await
        .unwrap();
    let phone = CustomerDetails {
        phone: Some("13900000000".into()),
        ..CustomerDetails::default()
    };
    let c2 = s
        .upsert_customer(t.id, "visitor:abc", false, &phone, NOW + 1)
        .await
        .unwrap();
    assert_eq!(c1.id, c2.id, "one customer per identity");
    assert_eq!(
        (c2.name.as_deref(), c2.phone.as_deref()),
        (Some("王女士"), Some("13900000000")),
        "details add up"
    );

    let contact = ContactId::new();
    let stored = StoredContact {
        id: contact,
        channel: Channel::Chat,
        direction: Direction::Inbound,
        queue: q.id,
        priority: CustomerPriority::new(0).unwrap(),
        customer: Some(c1.id.to_string()),
        title: None,
        link: None,
        data: "{}".into(),
        state: ContactStatus::Queued,
        agent: None,
        offer_expires_at: None,
        created_at: NOW,
        enqueued_at: NOW,
        closed_at: None,
        outcome: None,
        summary: None,
        solution: None,
        disposition: None,
        summary_saved: false,
        rating: None,
    };
    s.apply_engine_batch(
        t.id,
        &EngineBatch {
            new_contacts: vec![stored],
            ..EngineBatch::default()
        },
    )
    .await
    .unwrap();
    let msg = |client: &str, text: &str| NewChatMessage {
        id: MessageId::new(),
        contact,
        sender: Sender::Customer,
        agent: None,
        client_id: Some(client.into()),
        kind: MessageKind::Text,
        body: text.into(),
        created_at: NOW,
    };
    let first = s
        .append_chat_messages(t.id, &[msg("c1", "你好"), msg("c2", "在吗")])
        .await
        .unwrap();
    assert_eq!(first.iter().map(|m| m.seq).collect::<Vec<_>>(), [1, 2]);
    let retry = s
        .append_chat_messages(t.id, &[msg("c2", "在吗"), msg("c3", "？")])
        .await
        .unwrap();
    assert_eq!(
        retry[0].id, first[1].id,
        "a retried client id returns the first copy"
    );
    assert_eq!(retry[1].seq, 3);
    let all = s.chat_messages(t.id, contact, 0, 100).await.unwrap();
    assert_eq!(
        all.iter().map(|m| m.body.as_str()).collect::<Vec<_>>(),
        ["你好", "在吗", "？"]
    );
    assert_eq!(
        s.chat_messages(t.id, contact, 2, 100).await.unwrap().len(),
        1
    );

    s.recall_chat_message(t.id, first[0].id, NOW + 5)
        .await
        .unwrap();
    let recalled = s.chat_message(t.id, first[0].id).await.unwrap().unwrap();
    assert_eq!(
        (recalled.recalled_at, recalled.body.as_str()),
        (Some(NOW + 5), "你好"),
        "kept for the audit trail"
    );
    let withdrawn = |up_to| s.recalled_chat_messages(t.id, contact, up_to);
    assert_eq!(
        withdrawn(3)
            .await
            .unwrap()
            .iter()
            .map(|m| m.id)
            .collect::<Vec<_>>(),
        [first[0].id]
    );
    assert!(withdrawn(0).await.unwrap().is_empty());
    assert!(matches!(
        s.recall_chat_message(t.id, first[0].id, NOW + 6).await,
        Err(StorageError::NotFound)
    ));
    assert_eq!(
        s.customer_contacts(t.id, &c1.id.to_string(), 3)
            .await
            .unwrap()
            .len(),
        1
    );

    let other = s
        .create_tenant(&TenantName::parse("other").unwrap(), "o", NOW)
        .await
        .unwrap();
    assert!(s
        .chat_messages(other.id, contact, 0, 100)
        .await
        .unwrap()
        .is_empty());
    assert!(s
        .chat_message(other.id, first[0].id)
        .await
        .unwrap()
        .is_none());
    assert!(s.customer(other.id, c1.id).await.unwrap().is_none());
    assert!(s.chat_entry(other.id, &entry.name).await.unwrap().is_none());
}

switchboard_storage::story_tests!(
    chat_messages_are_ordered_idempotent_and_recallable,
    engine_batches_keep_contacts_events_and_sessions,
    tenants_have_default_params_and_unique_names,
    builtin_roles_and_users_round_trip,
    bulk_user_creation_is_all_or_nothing,
    custom_roles_can_change_and_are_protected_while_in_use,
    sessions_carry_permissions_and_end,
    skill_queues_with_agents_tags_and_overflow,
    no_call_reaches_into_another_tenant,
);
