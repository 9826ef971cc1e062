//! Call record stories, run against both SQLite and PostgreSQL: a call and its legs are
//! written as the call goes and read back whole; lists filter by number, time, agent and
//! queue and page newest first; nothing crosses tenants.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use switchboard_engine::*;
use switchboard_storage::*;
use uuid::Uuid;

const NOW: Millis = 1_790_000_000_000;

async fn tenant(s: &dyn Storage, name: &str) -> Tenant {
    s.create_tenant(&TenantName::parse(name).unwrap(), name, NOW)
        .await
        .unwrap()
}

fn record(caller: &str, started_at: Millis) -> CallRecord {
    CallRecord {
        id: Uuid::now_v7(),
        caller: caller.into(),
        dialled: "4000".into(),
        direction: CallDirection::Inbound,
        started_at,
        answered_at: None,
        ended_at: None,
        queue: None,
        queued_at: None,
        wait_ms: None,
        agent: None,
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

fn leg(call: Uuid, party: CallParty, ring_at: Millis) -> CallLeg {
    CallLeg {
        id: Uuid::now_v7(),
        call,
        party,
        agent: None,
        codec: "PCMA".into(),
        ring_at,
        answered_at: None,
        ended_at: None,
        quality: None,
    }
}

async fn a_call_is_written_as_it_goes_and_read_back(s: &dyn Storage) {
    let t = tenant(s, "acme").await;
    let mut call = record("13800138000", NOW);
    s.save_call_record(t.id, &call).await.unwrap();
    let caller = leg(call.id, CallParty::Caller, NOW);
    s.save_call_leg(t.id, &caller).await.unwrap();

    let (queue, agent, contact) = (SkillQueueId::new(), UserId::new(), ContactId::new());
    call.queue = Some(queue);
    call.queued_at = Some(NOW + 10);
    call.contact = Some(contact);
    call.answered_at = Some(NOW + 3_010);
    call.wait_ms = Some(3_000);
    call.agent = Some(agent);
    call.recording = true;
    call.ended_at = Some(NOW + 60_000);
    call.released_by = Some(CallReleasedBy::Caller);
    call.end_status = Some(200);
    call.recording_ms = Some(56_990);
    call.ivr_path = "营业时间 → 主菜单 → 1 售前".into();
    call.variables = vec![
        ("order".into(), "12345".into()),
        ("lang".into(), "zh".into()),
    ];
    s.save_call_record(t.id, &call).await.unwrap();
    let mut agent_leg = leg(call.id, CallParty::Agent, NOW + 20);
    agent_leg.agent = Some(agent);
    agent_leg.answered_at = Some(NOW + 3_010);
    agent_leg.ended_at = Some(NOW + 60_000);
    agent_leg.quality = Some(LegQuality {
        packets: 2_850,
        lost: 3,
        jitter_ms: 1.25,
        mos_x100: Some(438),
    });
    s.save_call_leg(t.id, &agent_leg).await.unwrap();
    let caller = CallLeg {
        answered_at: Some(NOW + 10),
        ended_at: Some(NOW + 60_000),
        quality: Some(LegQuality {
            packets: 0,
            lost: 0,
            jitter_ms: 0.0,
            mos_x100: None,
        }),
        ..caller
    };
    s.save_call_leg(t.id, &caller).await.unwrap();

    let read = s.call_record(t.id, call.id).await.unwrap().unwrap();
    call.variables.sort();
    assert_eq!(read, call, "variables come back by name");
    let listed = s
        .call_records(
            t.id,
            &CallQuery {
                limit: 10,
                ..CallQuery::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(listed, [call.clone()], "lists carry the variables too");
    // A later save without variables keeps them (they are written once, as the IVR ends).
    s.save_call_record(
        t.id,
        &CallRecord {
            variables: Vec::new(),
            survey: None,
            survey_score: None,
            handoffs: Vec::new(),
            ..call.clone()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        s.call_record(t.id, call.id)
            .await
            .unwrap()
            .unwrap()
            .variables,
        call.variables
    );
    assert_eq!(
        s.call_legs(t.id, call.id).await.unwrap(),
        [caller, agent_leg],
        "legs in the order they began, with their quality"
    );
}

async fn lists_filter_and_page_newest_first(s: &dyn Storage) {
    let t = tenant(s, "acme").await;
    let (queue, agent) = (SkillQueueId::new(), UserId::new());
    let mut calls = Vec::new();
    for i in 0..5 {
        let mut c = record(&format!("1380013800{i}"), NOW + i * 1_000);
        if i % 2 == 0 {
            c.agent = Some(agent);
            c.queue = Some(queue);
        }
        s.save_call_record(t.id, &c).await.unwrap();
        calls.push(c);
    }
    let ids = |rs: Vec<CallRecord>| rs.into_iter().map(|r| r.id).collect::<Vec<_>>();
    let all = CallQuery {
        limit: 50,
        ..CallQuery::default()
    };
    assert_eq!(
        ids(s.call_records(t.id, &all).await.unwrap()),
        calls.iter().rev().map(|c| c.id).collect::<Vec<_>>()
    );
    let page = CallQuery {
        limit: 2,
        ..all.clone()
    };
    let first = s.call_records(t.id, &page).await.unwrap();
    let second = CallQuery {
        before: Some(first[1].id),
        ..page.clone()
    };
    assert_eq!(
        ids(s.call_records(t.id, &second).await.unwrap()),
        [calls[2].id, calls[1].id]
    );
    let by_number = CallQuery {
        number: Some("8003".into()),
        ..all.clone()
    };
    assert_eq!(
        ids(s.call_records(t.id, &by_number).await.unwrap()),
        [calls[3].id]
    );
    let dialled = CallQuery {
        number: Some("400".into()),
        ..all.clone()
    };
    assert_eq!(s.call_records(t.id, &dialled).await.unwrap().len(), 5);
    let wild = CallQuery {
        number: Some("%".into()),
        ..all.clone()
    };
    assert!(
        s.call_records(t.id, &wild).await.unwrap().is_empty(),
        "% is a character"
    );
    let window = CallQuery {
        from: Some(NOW + 1_000),
        to: Some(NOW + 3_000),
        ..all.clone()
    };
    assert_eq!(
        ids(s.call_records(t.id, &window).await.unwrap()),
        [calls[2].id, calls[1].id]
    );
    let mine = CallQuery {
        agent: Some(agent),
        queue: Some(queue),
        ..all.clone()
    };
    assert_eq!(
        ids(s.call_records(t.id, &mine).await.unwrap()),
        [calls[4].id, calls[2].id, calls[0].id]
    );
}

async fn records_stay_in_their_tenant(s: &dyn Storage) {
    let t = tenant(s, "acme").await;
    let other = tenant(s, "other").await;
    let call = record("13800138000", NOW);
    s.save_call_record(t.id, &call).await.unwrap();
    assert!(s.call_record(other.id, call.id).await.unwrap().is_none());
    let all = CallQuery {
        limit: 50,
        ..CallQuery::default()
    };
    assert!(s.call_records(other.id, &all).await.unwrap().is_empty());
    let hijack = CallRecord {
        caller: "hijacked".into(),
        ..call.clone()
    };
    assert!(matches!(
        s.save_call_record(other.id, &hijack).await,
        Err(StorageError::NotFound)
    ));
    assert!(matches!(
        s.save_call_leg(other.id, &leg(call.id, CallParty::Caller, NOW))
            .await,
        Err(StorageError::NotFound)
    ));
    let l = leg(call.id, CallParty::Caller, NOW);
    s.save_call_leg(t.id, &l).await.unwrap();
    assert!(s.call_legs(other.id, call.id).await.unwrap().is_empty());
    assert_eq!(s.call_record(t.id, call.id).await.unwrap(), Some(call));
}

async fn a_batch_is_saved_whole_or_not_at_all(s: &dyn Storage) {
    let t = tenant(s, "acme").await;
    let other = tenant(s, "other").await;
    let call = record("13800138000", NOW);
    let caller = leg(call.id, CallParty::Caller, NOW);
    s.save_call_rows(&[(t.id, call.clone())], &[(t.id, caller.clone())])
        .await
        .unwrap();
    assert_eq!(
        s.call_record(t.id, call.id).await.unwrap(),
        Some(call.clone())
    );
    assert_eq!(
        s.call_legs(t.id, call.id).await.unwrap(),
        std::slice::from_ref(&caller)
    );

    let second = record("13900139000", NOW + 1);
    let ended = CallRecord {
        ended_at: Some(NOW + 5_000),
        ..call.clone()
    };
    let stray = leg(call.id, CallParty::Agent, NOW);
    assert!(matches!(
        s.save_call_rows(
            &[(t.id, ended), (t.id, second.clone())],
            &[(other.id, stray)]
        )
        .await,
        Err(StorageError::NotFound)
    ));
    assert_eq!(
        s.call_record(t.id, call.id).await.unwrap(),
        Some(call.clone()),
        "nothing of a refused batch is kept"
    );
    assert!(s.call_record(t.id, second.id).await.unwrap().is_none());
    assert_eq!(s.call_legs(t.id, call.id).await.unwrap(), [caller]);
}

/// The survey's outcome and the hand-overs (issue #15) are kept and read back in order;
/// lists carry the survey but not the hand-overs.
async fn a_surveyed_call_handed_on_twice_is_read_back(s: &dyn Storage) {
    let t = tenant(s, "acme").await;
    let queue = SkillQueueId::new();
    let (a, b, c) = (UserId::new(), UserId::new(), UserId::new());
    let mut call = record("13800138000", NOW);
    s.save_call_record(t.id, &call).await.unwrap();
    call.handoffs.push(CallHandoff {
        at: NOW + 10_000,
        kind: HandoffKind::Blind,
        from: Some(a),
        to_agent: None,
        to_queue: Some(queue),
        to_target: None,
    });
    s.save_call_record(t.id, &call).await.unwrap();
    call.handoffs.push(CallHandoff {
        at: NOW + 40_000,
        kind: HandoffKind::Attended,
        from: Some(b),
        to_agent: Some(c),
        to_queue: None,
        to_target: None,
    });
    // Then out of the center: to an outside number (the survey after it is not asked).
    call.handoffs.push(CallHandoff {
        at: NOW + 90_000,
        kind: HandoffKind::External,
        from: Some(c),
        to_agent: None,
        to_queue: None,
        to_target: Some("+861012345678".into()),
    });
    call.survey = Some(CallSurvey::Rated);
    call.survey_score = Some(5);
    s.save_call_record(t.id, &call).await.unwrap();
    assert_eq!(
        s.call_record(t.id, call.id).await.unwrap(),
        Some(call.clone())
    );
    let query = CallQuery {
        limit: 10,
        ..CallQuery::default()
    };
    let listed = s.call_records(t.id, &query).await.unwrap();
    assert_eq!(
        (
            listed[0].survey,
            listed[0].survey_score,
            listed[0].handoffs.len()
        ),
        (Some(CallSurvey::Rated), Some(5), 0)
    );
    let unrated = CallRecord {
        survey: Some(CallSurvey::NotRated),
        survey_score: None,
        ..record("13900139000", NOW + 1)
    };
    s.save_call_record(t.id, &unrated).await.unwrap();
    assert_eq!(
        s.call_record(t.id, unrated.id)
            .await
            .unwrap()
            .unwrap()
            .survey,
        Some(CallSurvey::NotRated)
    );
}

async fn a_contacts_calls_are_found_newest_first(s: &dyn Storage) {
    let t = tenant(s, "acme").await;
    let other = tenant(s, "other").await;
    let (first, second, unrelated) = (ContactId::new(), ContactId::new(), ContactId::new());
    let with = |contact: ContactId, at: Millis| CallRecord {
        contact: Some(contact),
        variables: vec![("order".into(), "12345".into())],
        ..record("13800138000", at)
    };
    let old = with(first, NOW);
    let newer = with(second, NOW + 1_000);
    let again = with(first, NOW + 2_000);
    for c in [
        &old,
        &newer,
        &again,
        &with(unrelated, NOW + 3_000),
        &record("1", NOW),
    ] {
        s.save_call_record(t.id, c).await.unwrap();
    }
    // Another tenant's call naming the same contact id is not ours.
    s.save_call_record(other.id, &with(first, NOW + 4_000))
        .await
        .unwrap();
    let found = s
        .call_records_of_contacts(t.id, &[first, second], 50)
        .await
        .unwrap();
    assert_eq!(
        found.iter().map(|c| c.id).collect::<Vec<_>>(),
        [again.id, newer.id, old.id],
        "newest first, only the contacts asked for"
    );
    assert_eq!(found[0].variables, again.variables, "with their variables");
    let capped = s
        .call_records_of_contacts(t.id, &[first, second], 2)
        .await
        .unwrap();
    assert_eq!(capped.len(), 2);
    assert!(s
        .call_records_of_contacts(t.id, &[], 50)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        s.call_records_of_contacts(other.id, &[second], 50)
            .await
            .unwrap(),
        Vec::new()
    );
}

switchboard_storage::story_tests!(
    a_contacts_calls_are_found_newest_first,
    a_surveyed_call_handed_on_twice_is_read_back,
    a_batch_is_saved_whole_or_not_at_all,
    a_call_is_written_as_it_goes_and_read_back,
    lists_filter_and_page_newest_first,
    records_stay_in_their_tenant,
);
