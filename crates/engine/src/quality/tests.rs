//! Scorecard rules, scores, the lifecycle, the sample and the report's periods.

use proptest::prelude::*;

use super::*;
use crate::{ContactId, TenantZone, UserId};

fn item(label: &str, weight: u32, scale: Scale, critical: bool) -> Item {
    Item {
        label: label.into(),
        description: String::new(),
        weight,
        scale,
        critical,
        comment_on_low: false,
    }
}

fn card() -> Scorecard {
    Scorecard {
        name: " 通话质检 ".into(),
        sections: vec![
            Section {
                name: "服务态度".into(),
                items: vec![
                    item("礼貌用语", 30, Scale::YesNo, false),
                    Item {
                        comment_on_low: true,
                        ..item("耐心倾听", 30, Scale::Points(5), false)
                    },
                ],
            },
            Section {
                name: "合规".into(),
                items: vec![item("身份核实", 40, Scale::YesNo, true)],
            },
        ],
    }
}

fn answers(points: &[Option<u8>]) -> Vec<Answer> {
    points
        .iter()
        .map(|p| Answer {
            points: *p,
            comment: String::new(),
        })
        .collect()
}

#[test]
fn a_well_made_card_is_kept_trimmed() {
    let c = card().checked().unwrap();
    assert_eq!(c.name, "通话质检");
    assert_eq!(c.items().count(), 3);
}

#[test]
fn weights_must_add_up_to_100() {
    let mut c = card();
    c.sections[0].items[0].weight = 31;
    let e = c.checked().unwrap_err();
    assert_eq!(e.field, "sections");
    assert!(e.message.contains("101"), "{e}");
}

#[test]
fn each_rule_names_its_field() {
    type Breaks = fn(&mut Scorecard);
    let cases: Vec<(Breaks, &str)> = vec![
        (|c| c.name = "  ".into(), "name"),
        (|c| c.sections.clear(), "sections"),
        (|c| c.sections[1].items.clear(), "sections[1].items"),
        (
            |c| c.sections[1].name = "服务态度".into(),
            "sections[1].name",
        ),
        (
            |c| c.sections[0].items[1].label = "礼貌用语".into(),
            "sections[0].items[1].label",
        ),
        (
            |c| c.sections[0].items[0].label = "".into(),
            "sections[0].items[0].label",
        ),
        (
            |c| c.sections[0].items[0].weight = 0,
            "sections[0].items[0].weight",
        ),
        (
            |c| c.sections[0].items[1].scale = Scale::Points(11),
            "sections[0].items[1].points",
        ),
        (
            |c| c.sections[0].items[1].scale = Scale::Points(0),
            "sections[0].items[1].points",
        ),
        (
            |c| c.sections[0].items[0].description = "a\u{0}".into(),
            "sections[0].items[0].description",
        ),
    ];
    for (break_it, field) in cases {
        let mut c = card();
        break_it(&mut c);
        assert_eq!(c.checked().unwrap_err().field, field);
    }
}

#[test]
fn the_score_is_weighted_and_a_failed_critical_item_zeroes_it() {
    let c = card().checked().unwrap();
    let full = score(&c, &answers(&[Some(1), Some(5), Some(1)])).unwrap();
    assert_eq!(
        full,
        Score {
            centi: 10_000,
            failed_critical: false
        }
    );
    // 30 + 30 × 3/5 + 40 = 88 %.
    let some = score(&c, &answers(&[Some(1), Some(3), Some(1)])).unwrap();
    assert_eq!(some.centi, 8_800);
    let failed = score(&c, &answers(&[Some(1), Some(5), Some(0)])).unwrap();
    assert_eq!(
        failed,
        Score {
            centi: 0,
            failed_critical: true
        }
    );
    assert_eq!(score(&c, &answers(&[Some(1), None, Some(1)])), None);
}

#[test]
fn thirds_round_half_up() {
    let c = Scorecard {
        name: "x".into(),
        sections: vec![Section {
            name: "s".into(),
            items: vec![item("a", 100, Scale::Points(3), false)],
        }],
    };
    assert_eq!(score(&c, &answers(&[Some(1)])).unwrap().centi, 3_333);
    assert_eq!(score(&c, &answers(&[Some(2)])).unwrap().centi, 6_667);
}

#[test]
fn answers_are_checked_against_the_card() {
    let c = card().checked().unwrap();
    assert_eq!(
        check_answers(&c, answers(&[Some(1)]), false)
            .unwrap_err()
            .field,
        "answers"
    );
    assert_eq!(
        check_answers(&c, answers(&[Some(2), None, None]), false)
            .unwrap_err()
            .field,
        "answers[0].points"
    );
    assert!(check_answers(&c, answers(&[Some(1), None, None]), false).is_ok());
    assert_eq!(
        check_answers(&c, answers(&[Some(1), None, Some(1)]), true)
            .unwrap_err()
            .field,
        "answers[1].points"
    );
    // 2 of 5 is low, and that item asks why.
    assert_eq!(
        check_answers(&c, answers(&[Some(1), Some(2), Some(1)]), true)
            .unwrap_err()
            .field,
        "answers[1].comment"
    );
    let mut explained = answers(&[Some(1), Some(2), Some(1)]);
    explained[1].comment = " 打断客户 ".into();
    let ok = check_answers(&c, explained, true).unwrap();
    assert_eq!(ok[1].comment, "打断客户");
}

#[test]
fn the_lifecycle_opens_each_action_once() {
    use ReviewAction as A;
    use ReviewStatus as S;
    assert_eq!(S::Draft.after(A::Submit), Some(S::Submitted));
    assert_eq!(S::Submitted.after(A::Dispute), Some(S::Disputed));
    assert_eq!(S::Disputed.after(A::Resolve), Some(S::Resolved));
    assert_eq!(S::Submitted.after(A::Acknowledge), Some(S::Acknowledged));
    for s in [S::Acknowledged, S::Resolved] {
        for a in [A::Save, A::Submit, A::Acknowledge, A::Dispute, A::Resolve] {
            assert_eq!(s.after(a), None);
        }
    }
    assert_eq!(S::Draft.after(A::Acknowledge), None);
    assert!(!S::Draft.shown_to_agent());
}

#[test]
fn weeks_start_on_monday_and_months_on_the_first_in_the_tenants_zone() {
    let shanghai = TenantZone::parse("Asia/Shanghai").unwrap();
    // 2026-12-06 01:00 in Shanghai is Sunday; 2026-12-05 17:00 UTC.
    let at = shanghai.instant_of((2026, 12, 6), (1, 0, 0)).unwrap();
    let monday = shanghai.instant_of((2026, 11, 30), (0, 0, 0)).unwrap();
    assert_eq!(period_start(at, Period::Week, &shanghai), monday);
    let first = shanghai.instant_of((2026, 12, 1), (0, 0, 0)).unwrap();
    assert_eq!(period_start(at, Period::Month, &shanghai), first);
    // In UTC the same instant is still Saturday: its week began on the Monday before too.
    let utc = TenantZone::utc();
    let monday_utc = utc.instant_of((2026, 11, 30), (0, 0, 0)).unwrap();
    assert_eq!(period_start(at, Period::Week, &utc), monday_utc);
}

#[test]
fn ranges_are_refused_when_inverted_or_over_a_year() {
    assert_eq!(check_range(10, 10).unwrap_err().field, "to");
    assert_eq!(check_range(10, 5).unwrap_err().field, "to");
    assert!(check_range(0, MAX_RANGE_MS).is_ok());
    assert!(check_range(0, MAX_RANGE_MS + 1).is_err());
}

#[test]
fn tally_averages_per_key_and_period() {
    let z = TenantZone::utc();
    let day = 86_400_000;
    let rows = vec![
        ("a", 0, 8_000, false),
        ("a", day, 0, true),
        ("b", 0, 5_000, false),
    ];
    let t = tally(rows, Period::Month, &z);
    let a = t[&("a", 0)];
    assert_eq!(
        (a.count, a.failed_critical, a.average_centi()),
        (2, 1, 4_000)
    );
    assert_eq!(t[&("b", 0)].average_centi(), 5_000);
}

fn candidates(agents: usize, per: usize) -> (Vec<UserId>, Vec<Candidate>) {
    let agents: Vec<UserId> = (0..agents).map(|_| UserId::new()).collect();
    let mut out = Vec::new();
    for a in &agents {
        for k in 0..per {
            let week = if k % 2 == 0 { 0 } else { 604_800_000 };
            out.push(Candidate {
                contact: ContactId::new(),
                agent: *a,
                week,
            });
        }
    }
    (agents, out)
}

#[test]
fn a_draw_takes_n_per_agent_per_week_and_repeats_for_its_seed() {
    let (agents, cands) = candidates(3, 10);
    let drawn = draw(&cands, 2, 42);
    assert_eq!(drawn.len(), 3 * 2 * 2);
    assert_eq!(draw(&cands, 2, 42), drawn);
    let mut reversed = cands.clone();
    reversed.reverse();
    assert_eq!(draw(&reversed, 2, 42), drawn);
    assert_ne!(draw(&cands, 2, 43), drawn);
    for a in agents {
        for week in [0, 604_800_000] {
            let n = drawn
                .iter()
                .filter(|c| {
                    cands
                        .iter()
                        .any(|x| x.contact == **c && x.agent == a && x.week == week)
                })
                .count();
            assert_eq!(n, 2);
        }
    }
    // Fewer than asked: all of them.
    assert_eq!(draw(&cands, 100, 1).len(), cands.len());
}

fn arb_item() -> impl Strategy<Value = (u8, bool)> {
    (prop_oneof![Just(0u8), 1u8..=10], any::<bool>())
}

proptest! {
    /// Any answers to any card score 0..=100 %, exactly 100 % when full marks, 0 when a
    /// critical item fails, and never more for fewer points.
    #[test]
    fn scores_stay_in_bounds_and_grow_with_points(
        specs in prop::collection::vec(arb_item(), 1..8),
        seed in any::<u64>(),
    ) {
        let n = specs.len() as u32;
        let items: Vec<Item> = specs.iter().enumerate().map(|(i, (max, critical))| {
            let weight = 100 / n + u32::from(i == 0) * (100 % n);
            let scale = if *max == 0 { Scale::YesNo } else { Scale::Points(*max) };
            item(&format!("i{i}"), weight, scale, *critical)
        }).collect();
        let c = Scorecard { name: "p".into(), sections: vec![Section { name: "s".into(), items }] }
            .checked().unwrap();
        let pts: Vec<u8> = c.items().enumerate()
            .map(|(i, it)| ((seed >> (i * 4)) % (u64::from(it.scale.max()) + 1)) as u8)
            .collect();
        let s = score(&c, &answers(&pts.iter().map(|p| Some(*p)).collect::<Vec<_>>())).unwrap();
        prop_assert!(s.centi <= 10_000);
        let critical_failed = c.items().zip(&pts).any(|(it, p)| it.critical && *p == 0);
        prop_assert_eq!(s.failed_critical, critical_failed);
        if critical_failed { prop_assert_eq!(s.centi, 0); }
        let full: Vec<Option<u8>> = c.items().map(|it| Some(it.scale.max())).collect();
        prop_assert_eq!(score(&c, &answers(&full)).unwrap().centi, 10_000);
        if !critical_failed {
            let mut more = pts.clone();
            if let Some((i, it)) = c.items().enumerate().find(|(i, it)| pts[*i] < it.scale.max()) {
                more[i] = it.scale.max();
                let higher = score(&c, &answers(&more.iter().map(|p| Some(*p)).collect::<Vec<_>>())).unwrap();
                prop_assert!(higher.centi >= s.centi);
            }
        }
    }
}
