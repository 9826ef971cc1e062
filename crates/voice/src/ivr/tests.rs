//! Walking flows on simulated time.

use super::*;

fn node(label: &str, kind: NodeKind) -> Node {
    Node {
        label: label.into(),
        kind,
    }
}

fn demo(queue1: SkillQueueId, queue2: SkillQueueId) -> Flow {
    let mut nodes = BTreeMap::new();
    let choices = BTreeMap::from([
        ('1', "presales".to_owned()),
        ('2', "aftersales".to_owned()),
        ('9', "order".to_owned()),
    ]);
    nodes.insert(
        "main".to_owned(),
        node(
            "主菜单",
            NodeKind::Menu {
                prompts: vec!["welcome".into(), "menu".into()],
                choices,
                timeout_ms: 5_000,
                retries: 2,
                invalid_prompts: vec!["invalid".into()],
                fallback: "presales".into(),
            },
        ),
    );
    nodes.insert("presales".to_owned(), node("售前", NodeKind::Queue(queue1)));
    nodes.insert(
        "aftersales".to_owned(),
        node("售后", NodeKind::Queue(queue2)),
    );
    nodes.insert(
        "order".to_owned(),
        node(
            "订单号",
            NodeKind::Collect {
                prompts: vec!["order".into()],
                variable: "order_no".into(),
                max_digits: 6,
                terminator: Some('#'),
                timeout_ms: 4_000,
                next: "aftersales".into(),
                fallback: "main".into(),
            },
        ),
    );
    Flow {
        name: "demo".into(),
        start: "main".into(),
        nodes,
    }
}

fn ids() -> (SkillQueueId, SkillQueueId) {
    (SkillQueueId::new(), SkillQueueId::new())
}

#[test]
fn a_key_during_the_prompt_stops_it_and_routes() {
    let (q1, q2) = ids();
    let mut w = Walk::new(demo(q1, q2));
    assert_eq!(
        w.start(0),
        [Action::Play {
            prompts: vec!["welcome".into(), "menu".into()],
            interruptible: true
        }]
    );
    assert_eq!(
        w.on_digit(100, '2'),
        [Action::StopPrompts, Action::Done(Exit::Queue(q2))]
    );
    assert_eq!(w.path_text(), "主菜单 → 2 售后");
}

#[test]
fn silence_replays_the_menu_then_falls_back() {
    let (q1, q2) = ids();
    let mut w = Walk::new(demo(q1, q2));
    w.start(0);
    assert_eq!(w.on_prompts_done(1_000), [Action::Timer(6_000)]);
    assert!(
        matches!(w.on_timeout(6_000)[..], [Action::Play { .. }]),
        "first retry"
    );
    w.on_prompts_done(7_000);
    assert!(
        matches!(w.on_timeout(12_000)[..], [Action::Play { .. }]),
        "second retry"
    );
    w.on_prompts_done(13_000);
    assert_eq!(
        w.on_timeout(18_000),
        [Action::Done(Exit::Queue(q1))],
        "then the fallback"
    );
    assert_eq!(
        w.on_timeout(30_000),
        [],
        "a finished walk ignores late timers"
    );
}

#[test]
fn a_wrong_key_plays_the_invalid_prompt_and_the_menu_again() {
    let (q1, q2) = ids();
    let mut w = Walk::new(demo(q1, q2));
    w.start(0);
    w.on_prompts_done(1_000);
    assert_eq!(
        w.on_digit(1_500, '7'),
        [Action::Play {
            prompts: vec!["invalid".into()],
            interruptible: true
        }]
    );
    assert!(
        matches!(&w.on_prompts_done(2_000)[..], [Action::Play { prompts, .. }] if prompts[0] == "welcome")
    );
    assert_eq!(
        w.on_digit(2_100, '1'),
        [Action::StopPrompts, Action::Done(Exit::Queue(q1))]
    );
}

#[test]
fn digits_are_collected_into_a_variable() {
    let (q1, q2) = ids();
    let mut w = Walk::new(demo(q1, q2));
    w.start(0);
    w.on_digit(100, '9');
    w.on_prompts_done(1_000);
    for (i, d) in "1234".chars().enumerate() {
        assert_eq!(
            w.on_digit(1_100 + i as u64 * 100, d),
            [Action::Timer(5_100 + i as u64 * 100)]
        );
    }
    assert_eq!(w.on_digit(2_000, '#'), [Action::Done(Exit::Queue(q2))]);
    assert_eq!(
        w.variables.get("order_no").map(String::as_str),
        Some("1234")
    );
    assert_eq!(w.path_text(), "主菜单 → 9 订单号 → 售后");
}

#[test]
fn business_hours_follow_the_tenant_zone_and_holidays() {
    let zone = TenantZone::parse("Asia/Shanghai").unwrap_or_else(|_| TenantZone::utc());
    // Monday to Friday 09:00-18:00.
    let schedule = Schedule {
        zone,
        windows: (0..5).map(|d| (d, 9 * 60, 18 * 60)).collect(),
        holidays: vec![],
    };
    // 2026-12-07 is a Monday; 01:30 UTC is 09:30 in Shanghai.
    let monday_0930 = 1_796_607_000_000;
    assert!(schedule.is_open(monday_0930));
    assert!(
        !schedule.is_open(monday_0930 - 3_600_000),
        "08:30 is before opening"
    );
    assert!(!schedule.is_open(monday_0930 + 5 * 86_400_000), "Saturday");
    let holiday = Schedule {
        holidays: vec![((monday_0930 + 8 * 3_600_000) / 86_400_000) as i64],
        ..schedule
    };
    assert!(!holiday.is_open(monday_0930));
}

#[test]
fn a_loop_in_a_flow_hangs_up() {
    let mut nodes = BTreeMap::new();
    nodes.insert(
        "a".to_owned(),
        node(
            "A",
            NodeKind::Hours {
                schedule: Schedule::always_open(TenantZone::utc()),
                open: "b".into(),
                closed: "b".into(),
            },
        ),
    );
    nodes.insert(
        "b".to_owned(),
        node(
            "B",
            NodeKind::Hours {
                schedule: Schedule::always_open(TenantZone::utc()),
                open: "a".into(),
                closed: "a".into(),
            },
        ),
    );
    let mut w = Walk::new(Flow {
        name: "loop".into(),
        start: "a".into(),
        nodes,
    });
    assert_eq!(w.start(0), [Action::Done(Exit::Hangup)]);
}
