//! What a day of the demo's history holds, drawn from a seeded generator: who works and when
//! (office hours 9:00–18:00 in the tenant's zone, a lunch break, now and then a meeting or a
//! training), when contacts arrive in each queue (fewer at weekends, busiest mid-morning and
//! mid-afternoon), how long customers wait before giving up, and talk, hold and wrap-up times.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde_json::json;
use switchboard_engine::acd::{MediaEvent, ReleasedBy, RequestedPresence};
use switchboard_engine::stats::day_of;
use switchboard_engine::{Channel, ContactId, TenantZone, UserId};

use crate::engines::ContactMeta;

pub const SECOND: i64 = 1_000;
pub const MINUTE: i64 = 60 * SECOND;
const HOUR: i64 = 60 * MINUTE;

/// Something that happens at a planned moment; each is tried against the engine as an agent
/// or a customer would, and may find the contact already gone.
#[derive(Debug, Clone)]
pub enum Step {
    SignIn(UserId),
    /// Tried again a minute later while the agent still holds a contact.
    SignOut(UserId),
    Presence(UserId, RequestedPresence, Option<&'static str>),
    /// A contact arrives in the queue of this index.
    Arrive(usize),
    Answer(UserId, ContactId),
    Media(ContactId, MediaEvent),
    Release(ContactId, Option<UserId>, ReleasedBy),
    /// The customer leaves if still waiting.
    GiveUp(ContactId),
    Continue(UserId, ContactId),
}

/// Contacts a weekday brings to a queue of this channel (a weekend day about a third).
fn weekday_volume(channel: Channel) -> u32 {
    match channel {
        Channel::Voice => 65,
        Channel::Chat => 80,
        _ => 35,
    }
}

/// Each office hour's share of the day's arrivals, from 9:00 to 17:00.
const HOUR_WEIGHTS: [u32; 9] = [6, 10, 9, 6, 5, 9, 10, 8, 5];

/// The local time `h:m` on the day starting at `day_start`, right across a change of offset.
pub fn local(zone: &TenantZone, day_start: i64, h: i64, m: i64) -> i64 {
    let naive = day_start + h * HOUR + m * MINUTE;
    let shift = zone.offset_min_at(day_start) - zone.offset_min_at(naive);
    naive + i64::from(shift) * MINUTE
}

/// Saturday or Sunday in the tenant's zone.
pub fn weekend(zone: &TenantZone, day_start: i64) -> bool {
    // Day 0 (1970-01-01) was a Thursday: with Monday as 0 it is 3.
    (day_of(day_start + HOUR, zone) + 3).rem_euclid(7) >= 5
}

/// The plan of one day: each agent on duty's shift, and every queue's arrivals.
pub fn day(
    rng: &mut ChaCha8Rng,
    zone: &TenantZone,
    day_start: i64,
    agents: &[UserId],
    channels: &[Channel],
) -> Vec<(i64, Step)> {
    let weekend = weekend(zone, day_start);
    let at = |h: i64, m: i64| local(zone, day_start, h, m);
    let mut plan = Vec::new();
    // At weekends one agent has the day off, a different one each day.
    let off = (weekend && agents.len() > 1).then(|| day_of(day_start + HOUR, zone));
    for (n, agent) in agents.iter().enumerate() {
        if off.is_some_and(|d| d.rem_euclid(agents.len() as i64) == n as i64) {
            continue;
        }
        plan.extend(shift(rng, &at, *agent));
    }
    for (q, channel) in channels.iter().enumerate() {
        let mut volume = weekday_volume(*channel);
        if weekend {
            volume /= 3;
        }
        let volume = volume * rng.gen_range(85..=115) / 100;
        for _ in 0..volume {
            plan.push((arrival(rng, &at), Step::Arrive(q)));
        }
    }
    plan
}

/// An agent's day: in around 9:00, lunch at rest, perhaps a meeting or a training while
/// busy, out around 18:00.
fn shift(rng: &mut ChaCha8Rng, at: &impl Fn(i64, i64) -> i64, agent: UserId) -> Vec<(i64, Step)> {
    use RequestedPresence::{Busy, Idle, Rest};
    let lunch = at(11, 45) + rng.gen_range(0..75) * MINUTE;
    let mut plan = vec![
        (
            at(8, 50) + rng.gen_range(0..20) * MINUTE,
            Step::SignIn(agent),
        ),
        (lunch, Step::Presence(agent, Rest, Some("lunch"))),
        (
            lunch + rng.gen_range(30..50) * MINUTE,
            Step::Presence(agent, Idle, None),
        ),
        (
            at(18, 0) + rng.gen_range(0..10) * MINUTE,
            Step::SignOut(agent),
        ),
    ];
    if rng.gen_bool(0.4) {
        let reason = if rng.gen_bool(0.5) {
            "meeting"
        } else {
            "training"
        };
        let start = at(14, 0) + rng.gen_range(0..150) * MINUTE;
        plan.push((start, Step::Presence(agent, Busy, Some(reason))));
        let back = start + rng.gen_range(15..40) * MINUTE;
        plan.push((back, Step::Presence(agent, Idle, None)));
    }
    plan
}

/// When a contact arrives: an office hour by its weight, then any second before 17:45.
fn arrival(rng: &mut ChaCha8Rng, at: &impl Fn(i64, i64) -> i64) -> i64 {
    let total: u32 = HOUR_WEIGHTS.iter().sum();
    let mut pick = rng.gen_range(0..total);
    let mut hour = 0;
    for (h, w) in HOUR_WEIGHTS.iter().enumerate() {
        if pick < *w {
            hour = h as i64;
            break;
        }
        pick -= w;
    }
    let minutes = if hour == 8 { 45 } else { 60 };
    at(9 + hour, 0) + rng.gen_range(0..minutes * 60) * SECOND
}

/// A draw from an exponential distribution with this mean.
fn exponential(rng: &mut ChaCha8Rng, mean: i64) -> i64 {
    let u: f64 = rng.gen_range(f64::EPSILON..1.0);
    (-u.ln() * mean as f64) as i64
}

/// How long a customer waits before giving up.
pub fn patience(rng: &mut ChaCha8Rng, channel: Channel) -> i64 {
    match channel {
        Channel::Voice => 20 * SECOND + exponential(rng, 3 * MINUTE).min(15 * MINUTE),
        Channel::Chat => MINUTE + exponential(rng, 6 * MINUTE).min(30 * MINUTE),
        // Whoever asked for a task withdraws it if nobody took it for hours.
        _ => 3 * HOUR,
    }
}

/// How long an offered contact rings before the agent answers.
pub fn answer_delay(rng: &mut ChaCha8Rng) -> i64 {
    rng.gen_range(2..10) * SECOND
}

/// How long a connected contact lasts: one to six minutes, short ones more often; chats a
/// little longer.
pub fn talk(rng: &mut ChaCha8Rng, channel: Channel) -> i64 {
    let skew: f64 = rng.gen_range(0.0..1.0f64).powf(1.5);
    let talk = MINUTE + (skew * (5 * MINUTE) as f64) as i64;
    if channel == Channel::Chat {
        talk + 2 * MINUTE
    } else {
        talk
    }
}

/// Wrap-up after a contact.
pub fn wrap(rng: &mut ChaCha8Rng) -> i64 {
    rng.gen_range(10..45) * SECOND
}

/// Some calls put the customer on hold for a while: (after, for how long) within `talk`.
pub fn hold(rng: &mut ChaCha8Rng, channel: Channel, talk: i64) -> Option<(i64, i64)> {
    (channel == Channel::Voice && rng.gen_bool(0.2))
        .then(|| (talk / 3, (rng.gen_range(15..45) * SECOND).min(talk / 3)))
}

/// Who ends a connected contact: callers often hang up themselves, chats and tasks are
/// closed by the agent.
pub fn released_by(rng: &mut ChaCha8Rng, channel: Channel) -> ReleasedBy {
    let customer = match channel {
        Channel::Voice => 0.55,
        Channel::Chat => 0.25,
        _ => 0.0,
    };
    if rng.gen_bool(customer) {
        ReleasedBy::Customer
    } else {
        ReleasedBy::Agent
    }
}

/// The history's chats: the customer's question, then the lines agent and customer take
/// turns at, the agent first.
pub const CHATS: [(&str, &[&str]); 4] = [
    (
        "订单什么时候发货？ When will my order ship?",
        &[
            "您好，我帮您查一下，请提供订单号。",
            "订单号是 20261104-8812。",
            "查到了，您的订单今天下午发货，预计后天送达。",
            "好的，谢谢。",
            "不客气，发货后会有短信通知您。",
        ],
    ),
    (
        "怎么申请退货？ How do I return an item?",
        &[
            "您好，签收七天内可以无理由退货。请问商品拆封了吗？",
            "没有拆封。",
            "好的，在订单页点“申请售后”，选择退货，快递员会上门取件。",
            "运费谁出？",
            "未拆封的退货运费由我们承担，退款在收到货后三个工作日内原路退回。",
        ],
    ),
    (
        "耳机连不上手机 My earbuds will not pair",
        &[
            "您好，请先把耳机放回充电盒，长按盒子上的按钮十秒，指示灯闪白光。",
            "在闪了。",
            "再在手机蓝牙里删除旧的配对记录，重新搜索连接。",
            "连上了，谢谢！",
            "不客气，还有其他问题随时联系我们。",
        ],
    ),
    (
        "发票怎么开？ How do I get an invoice?",
        &[
            "您好，确认收货后可以在订单详情里申请电子发票。",
            "要开公司抬头。",
            "可以，填写公司名称和税号即可，发票会发送到您的邮箱。",
            "好的，明白了。",
        ],
    ),
];

const TASKS: [&str; 3] = [
    "回访客户 Follow-up call",
    "核对退款 Check a refund",
    "补发配件 Send a missing part",
];

/// The number of the history's caller `k` (of a few hundred).
pub fn caller(k: usize) -> String {
    format!("+86138{:08}", k * 104_729)
}

/// What a contact is about and who it is from.
pub struct Drawn {
    pub customer: Option<String>,
    pub meta: ContactMeta,
    /// The conversation a chat follows (an index of `CHATS`).
    pub script: Option<usize>,
}

/// The customer and what the contact is about, as the channel's own path would give them:
/// a caller's number (a few hundred callers, so some call again), a chat's visitor (one of
/// `visitors`, customer ids) and question, a task's title.
pub fn contact(rng: &mut ChaCha8Rng, channel: Channel, visitors: &[String]) -> Drawn {
    match channel {
        Channel::Voice => {
            let caller = caller(rng.gen_range(0..300));
            let meta = ContactMeta {
                title: Some(caller.clone()),
                link: None,
                data: json!({ "caller": caller }).to_string(),
            };
            Drawn {
                customer: Some(caller),
                meta,
                script: None,
            }
        }
        Channel::Chat => {
            let script = rng.gen_range(0..CHATS.len());
            let meta = ContactMeta {
                title: Some(CHATS[script].0.into()),
                link: None,
                data: json!({ "entry": "web" }).to_string(),
            };
            let visitor = (!visitors.is_empty()).then(|| rng.gen_range(0..visitors.len()));
            Drawn {
                customer: visitor.map(|v| visitors[v].clone()),
                meta,
                script: Some(script),
            }
        }
        _ => {
            let title = TASKS[rng.gen_range(0..TASKS.len())];
            let meta = ContactMeta {
                title: Some(title.into()),
                link: None,
                data: "{}".into(),
            };
            Drawn {
                customer: None,
                meta,
                script: None,
            }
        }
    }
}
