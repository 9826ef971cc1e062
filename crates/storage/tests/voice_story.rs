//! Voice configuration stories, run against both SQLite and PostgreSQL: extensions,
//! trunks and hotline numbers round-trip, conflict on their unique names, and stay in
//! their tenant.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use switchboard_engine::*;
use switchboard_storage::*;

const NOW: Millis = 1_790_000_000_000;

async fn tenant_with_agent(s: &dyn Storage, name: &str) -> (Tenant, User) {
    let t = s
        .create_tenant(&TenantName::parse(name).unwrap(), name, NOW)
        .await
        .unwrap();
    let user = NewUser {
        login: LoginName::parse("agent1").unwrap(),
        real_name: PersonName::parse("张三").unwrap(),
        display_name: PersonName::parse("小张").unwrap(),
        chat_limit: ChatLimit::new(5).unwrap(),
        role_ids: vec![],
        password_hash: "$argon2id$fake".into(),
        must_change_password: false,
        agent_params: AgentParams::default(),
    };
    let u = s.create_users(t.id, &[user], NOW).await.unwrap().remove(0);
    (t, u)
}

fn ext(agent: UserId, number: &str) -> SipExtension {
    SipExtension {
        agent,
        number: number.into(),
        ha1_md5: "a".repeat(32),
        ha1_sha256: "b".repeat(64),
    }
}

async fn extensions_are_one_per_agent_and_number(s: &dyn Storage) {
    let (t, u) = tenant_with_agent(s, "acme").await;
    s.set_sip_extension(t.id, &ext(u.id, "1001"), NOW)
        .await
        .unwrap();
    s.set_sip_extension(t.id, &ext(u.id, "1002"), NOW)
        .await
        .unwrap();
    assert_eq!(
        s.sip_extensions(t.id).await.unwrap(),
        [ext(u.id, "1002")],
        "an agent has one extension"
    );
    let (other, stranger) = tenant_with_agent(s, "other").await;
    assert!(matches!(
        s.set_sip_extension(t.id, &ext(stranger.id, "1003"), NOW)
            .await,
        Err(StorageError::NotFound)
    ));
    s.set_sip_extension(other.id, &ext(stranger.id, "1002"), NOW)
        .await
        .unwrap();
    assert_eq!(
        s.sip_extensions(other.id).await.unwrap().len(),
        1,
        "numbers are per tenant"
    );
    assert!(matches!(
        s.delete_sip_extension(other.id, u.id).await,
        Err(StorageError::NotFound)
    ));
    s.delete_sip_extension(t.id, u.id).await.unwrap();
    assert!(s.sip_extensions(t.id).await.unwrap().is_empty());
}

async fn a_taken_number_conflicts(s: &dyn Storage) {
    let (t, u) = tenant_with_agent(s, "acme").await;
    let second = NewUser {
        login: LoginName::parse("agent2").unwrap(),
        real_name: PersonName::parse("李四").unwrap(),
        display_name: PersonName::parse("小李").unwrap(),
        chat_limit: ChatLimit::new(5).unwrap(),
        role_ids: vec![],
        password_hash: "$argon2id$fake".into(),
        must_change_password: false,
        agent_params: AgentParams::default(),
    };
    let u2 = s
        .create_users(t.id, &[second], NOW)
        .await
        .unwrap()
        .remove(0);
    s.set_sip_extension(t.id, &ext(u.id, "1001"), NOW)
        .await
        .unwrap();
    let again = s.set_sip_extension(t.id, &ext(u2.id, "1001"), NOW).await;
    assert!(matches!(again, Err(StorageError::Conflict(_))), "{again:?}");
    assert_eq!(
        s.sip_extensions(t.id).await.unwrap(),
        [ext(u.id, "1001")],
        "the refused write changed nothing"
    );
}

async fn trunks_and_numbers_round_trip_in_their_tenant(s: &dyn Storage) {
    let (t, _) = tenant_with_agent(s, "acme").await;
    let (other, _) = tenant_with_agent(s, "other").await;
    let trunk = SipTrunk {
        id: SipTrunkId::new(),
        name: "电信".into(),
        peers: vec!["127.0.0.1".parse().unwrap(), "::1".parse().unwrap()],
        enabled: true,
        registration: None,
        outbound: None,
    };
    s.save_sip_trunk(t.id, &trunk, NOW).await.unwrap();
    // It now registers with the provider; the account round-trips whole.
    let renamed = SipTrunk {
        name: "联通".into(),
        registration: Some(TrunkRegistration {
            domain: "sip.carrier.example".into(),
            port: 5060,
            username: "8610".into(),
            password: "s3cret 密码".into(),
            expires_s: 600,
        }),
        outbound: Some(OutboundProxy {
            host: "proxy.carrier.example".into(),
            port: 5080,
        }),
        ..trunk.clone()
    };
    s.save_sip_trunk(t.id, &renamed, NOW).await.unwrap();
    assert_eq!(
        s.sip_trunks(t.id).await.unwrap(),
        std::slice::from_ref(&renamed)
    );
    assert!(matches!(
        s.save_sip_trunk(other.id, &renamed, NOW).await,
        Err(StorageError::NotFound)
    ));
    let dup = SipTrunk {
        id: SipTrunkId::new(),
        ..renamed.clone()
    };
    assert!(matches!(
        s.save_sip_trunk(t.id, &dup, NOW).await,
        Err(StorageError::Conflict(_))
    ));

    let queue = SkillQueueId::new();
    let numbers = [
        HotlineNumber {
            id: HotlineNumberId::new(),
            number: "4000".into(),
            inbound: true,
            survey: true,
            route: NumberRoute::Queue(queue),
            outbound: false,
            outbound_trunk: None,
        },
        HotlineNumber {
            id: HotlineNumberId::new(),
            number: "5000".into(),
            inbound: false,
            survey: false,
            route: NumberRoute::Direct("sip:pbx@127.0.0.1:5070".into()),
            outbound: false,
            outbound_trunk: None,
        },
        HotlineNumber {
            id: HotlineNumberId::new(),
            number: "0".into(),
            inbound: true,
            survey: false,
            route: NumberRoute::Extension("1001".into()),
            outbound: false,
            outbound_trunk: None,
        },
    ];
    for n in &numbers {
        s.save_hotline_number(t.id, n, NOW).await.unwrap();
    }
    let stored = s.hotline_numbers(t.id).await.unwrap();
    assert_eq!(
        stored,
        [numbers[2].clone(), numbers[0].clone(), numbers[1].clone()],
        "ordered by number"
    );
    assert!(s.hotline_numbers(other.id).await.unwrap().is_empty());
    assert!(matches!(
        s.delete_hotline_number(other.id, numbers[0].id).await,
        Err(StorageError::NotFound)
    ));
    s.delete_hotline_number(t.id, numbers[0].id).await.unwrap();
    s.delete_sip_trunk(t.id, trunk.id).await.unwrap();
    assert!(s.sip_trunks(t.id).await.unwrap().is_empty());
}

async fn queue(s: &dyn Storage, t: TenantId, name: &str, channel: Channel) -> SkillQueueId {
    let spec = SkillQueueSpec {
        name: SkillQueueName::parse(name).unwrap(),
        channel,
        strategy: RoutingStrategy::LongestIdle,
        priority: QueuePriority::new(50).unwrap(),
        max_queue_len: None,
        max_wait_s: Some(60),
        overflow_queue: None,
        tags: vec![],
    };
    s.create_skill_queue(t, &spec, &[]).await.unwrap().id
}

fn ticket_type(name: &str) -> TicketType {
    TicketType {
        id: TicketTypeId::new(),
        name: name.into(),
        description: String::new(),
        active: true,
        version: 1,
        definition: "{}".into(),
        facet_fields: vec![],
        created_at: NOW,
        updated_at: NOW,
    }
}

async fn queue_voice_settings_round_trip_and_stay_in_their_tenant(s: &dyn Storage) {
    let (t, _) = tenant_with_agent(s, "acme").await;
    let (other, _) = tenant_with_agent(s, "other").await;
    let presales = queue(s, t.id, "售前", Channel::Voice).await;
    let callbacks = queue(s, t.id, "回电", Channel::Task).await;
    let foreign = queue(s, other.id, "外部", Channel::Task).await;
    let complaints = ticket_type("投诉");
    s.create_ticket_type(t.id, &complaints).await.unwrap();
    let foreign_type = ticket_type("外部工单");
    s.create_ticket_type(other.id, &foreign_type).await.unwrap();
    assert!(s.queue_voice(t.id).await.unwrap().is_empty());
    let mut settings = QueueVoice {
        queue: presales,
        announce_every_s: Some(30),
        languages: vec!["zh".into(), "en".into()],
        voicemail: Some(VoicemailTo::Task(callbacks)),
        voicemail_max_s: 120,
    };
    s.save_queue_voice(t.id, &settings, NOW).await.unwrap();
    assert_eq!(s.queue_voice(t.id).await.unwrap(), [settings.clone()]);
    // The message may become a ticket instead: the task queue is then cleared.
    settings.voicemail = Some(VoicemailTo::Ticket(complaints.id));
    s.save_queue_voice(t.id, &settings, NOW).await.unwrap();
    assert_eq!(
        s.queue_voice(t.id).await.unwrap(),
        [settings.clone()],
        "a ticket instead of a callback"
    );
    settings.announce_every_s = None;
    settings.voicemail = None;
    s.save_queue_voice(t.id, &settings, NOW).await.unwrap();
    assert_eq!(
        s.queue_voice(t.id).await.unwrap(),
        [settings.clone()],
        "replaced"
    );
    assert!(s.queue_voice(other.id).await.unwrap().is_empty());
    for bad in [
        QueueVoice {
            voicemail: Some(VoicemailTo::Task(foreign)),
            ..settings.clone()
        },
        QueueVoice {
            voicemail: Some(VoicemailTo::Ticket(foreign_type.id)),
            ..settings.clone()
        },
        QueueVoice {
            voicemail: Some(VoicemailTo::Ticket(TicketTypeId::new())),
            ..settings.clone()
        },
        QueueVoice {
            queue: foreign,
            ..settings.clone()
        },
    ] {
        assert!(matches!(
            s.save_queue_voice(t.id, &bad, NOW).await,
            Err(StorageError::NotFound)
        ));
    }
    assert_eq!(
        s.queue_voice(t.id).await.unwrap(),
        [settings.clone()],
        "refusals change nothing"
    );

    // A ticket type deleted (no ticket uses it) takes the queue's voicemail with it.
    settings.voicemail = Some(VoicemailTo::Ticket(complaints.id));
    s.save_queue_voice(t.id, &settings, NOW).await.unwrap();
    s.delete_ticket_type(t.id, complaints.id).await.unwrap();
    assert_eq!(
        s.queue_voice(t.id).await.unwrap()[0].voicemail,
        None,
        "no voicemail to a type that is gone"
    );
}

async fn uploaded_prompts_are_named_once_and_stay_in_their_tenant(s: &dyn Storage) {
    let (t, _) = tenant_with_agent(s, "acme").await;
    let (other, _) = tenant_with_agent(s, "umbrella").await;
    let prompt = VoicePrompt {
        id: uuid::Uuid::now_v7(),
        name: "欢迎语".into(),
        duration_ms: 2_000,
        created_at: NOW,
    };
    s.save_voice_prompt(t.id, &prompt).await.unwrap();
    assert_eq!(
        s.voice_prompts(t.id).await.unwrap(),
        std::slice::from_ref(&prompt)
    );
    assert!(s.voice_prompts(other.id).await.unwrap().is_empty());

    // A second prompt may not take the name; a rename keeps the audio's length and time.
    let twin = VoicePrompt {
        id: uuid::Uuid::now_v7(),
        ..prompt.clone()
    };
    assert!(matches!(
        s.save_voice_prompt(t.id, &twin).await,
        Err(StorageError::Conflict(_))
    ));
    let renamed = VoicePrompt {
        name: "新欢迎语".into(),
        duration_ms: 1,
        created_at: 0,
        ..prompt.clone()
    };
    s.save_voice_prompt(t.id, &renamed).await.unwrap();
    let stored = s.voice_prompts(t.id).await.unwrap();
    assert_eq!(
        (
            stored[0].name.as_str(),
            stored[0].duration_ms,
            stored[0].created_at
        ),
        ("新欢迎语", 2_000, NOW)
    );

    // Another tenant can neither take it over nor delete it.
    assert!(matches!(
        s.save_voice_prompt(other.id, &prompt).await,
        Err(StorageError::NotFound)
    ));
    assert!(matches!(
        s.delete_voice_prompt(other.id, prompt.id).await,
        Err(StorageError::NotFound)
    ));
    s.delete_voice_prompt(t.id, prompt.id).await.unwrap();
    assert!(s.voice_prompts(t.id).await.unwrap().is_empty());
}

switchboard_storage::story_tests!(
    uploaded_prompts_are_named_once_and_stay_in_their_tenant,
    queue_voice_settings_round_trip_and_stay_in_their_tenant,
    extensions_are_one_per_agent_and_number,
    a_taken_number_conflicts,
    trunks_and_numbers_round_trip_in_their_tenant,
);
