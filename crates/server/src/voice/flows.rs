//! IVR flows as JSON (how the API and storage hold them) and their checks: every name a
//! node points to exists, keys are keypad keys, times and counts are in range, prompts are
//! named plainly; an error names the field at fault. `to_flow` turns a checked definition
//! (its sub-flows inlined by `subflows.rs`) into the switch's `ivr::Flow`, with business
//! hours in the tenant's zone.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use switchboard_engine::ticket::time::{days_from_civil, parse_date};
use switchboard_engine::{SkillQueueId, TenantZone};
use switchboard_voice::announce::{Voicemail, VoicemailTo};
use switchboard_voice::ivr::{Flow, Node, NodeKind, Schedule};

const MAX_NODES: usize = 200;
const MAX_PROMPTS: usize = 20;
/// The longest message a caller may leave.
pub const MAX_MESSAGE_S: u64 = 600;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FlowDef {
    /// The node the caller starts at.
    pub start: String,
    pub nodes: BTreeMap<String, NodeDef>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum NodeDef {
    Play {
        label: String,
        prompts: Vec<String>,
        next: String,
    },
    Menu {
        label: String,
        prompts: Vec<String>,
        /// Key (`0`-`9`, `*`, `#`) → node.
        choices: BTreeMap<String, String>,
        timeout_ms: u64,
        retries: u32,
        #[serde(default)]
        invalid_prompts: Vec<String>,
        fallback: String,
    },
    Collect {
        label: String,
        prompts: Vec<String>,
        variable: String,
        max_digits: usize,
        #[serde(default)]
        terminator: Option<String>,
        timeout_ms: u64,
        next: String,
        fallback: String,
    },
    Hours {
        label: String,
        windows: Vec<WindowDef>,
        #[serde(default)]
        holidays: Vec<String>,
        open: String,
        closed: String,
    },
    Queue {
        label: String,
        queue_id: uuid::Uuid,
    },
    Extension {
        label: String,
        number: String,
    },
    /// Leave a message (after `prompts` and a tone), which becomes a callback task in the
    /// task queue `queue_id`.
    Voicemail {
        label: String,
        prompts: Vec<String>,
        max_seconds: u64,
        queue_id: uuid::Uuid,
    },
    Hangup {
        label: String,
    },
    /// The caller goes on in another flow of the tenant (inlined when the flow is used).
    SubFlow {
        label: String,
        flow_id: uuid::Uuid,
    },
}

impl NodeDef {
    /// The node ids this node sends the caller to.
    pub fn targets_mut(&mut self) -> Vec<&mut String> {
        match self {
            NodeDef::Play { next, .. } => vec![next],
            NodeDef::Menu {
                choices, fallback, ..
            } => choices
                .values_mut()
                .chain(std::iter::once(fallback))
                .collect(),
            NodeDef::Collect { next, fallback, .. } => vec![next, fallback],
            NodeDef::Hours { open, closed, .. } => vec![open, closed],
            NodeDef::Queue { .. }
            | NodeDef::Extension { .. }
            | NodeDef::Voicemail { .. }
            | NodeDef::Hangup { .. }
            | NodeDef::SubFlow { .. } => Vec::new(),
        }
    }

    /// The prompts the node plays, by field.
    pub fn prompt_lists(&self) -> Vec<(&'static str, &[String])> {
        match self {
            NodeDef::Play { prompts, .. }
            | NodeDef::Collect { prompts, .. }
            | NodeDef::Voicemail { prompts, .. } => vec![("prompts", prompts)],
            NodeDef::Menu {
                prompts,
                invalid_prompts,
                ..
            } => vec![("prompts", prompts), ("invalid_prompts", invalid_prompts)],
            _ => Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WindowDef {
    /// 1 = Monday … 7 = Sunday.
    pub days: Vec<u8>,
    /// `HH:MM`, local time.
    pub from: String,
    /// `HH:MM`; `24:00` for the end of the day.
    pub to: String,
}

fn key(k: &str) -> Result<char, String> {
    let mut chars = k.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_digit() || c == '*' || c == '#' => Ok(c),
        _ => Err(format!("key '{k}' is not one of 0-9, * or #")),
    }
}

fn minute(t: &str) -> Result<u16, String> {
    let bad = || format!("time '{t}' is not HH:MM");
    let (h, m) = t.split_once(':').ok_or_else(bad)?;
    let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if m >= 60 || h > 24 || (h == 24 && m > 0) {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

/// Whether a prompt name is plain: 1-64 letters, digits, `-` or `_`.
pub fn plain_prompt_name(p: &str) -> bool {
    !p.is_empty()
        && p.len() <= 64
        && p.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
}

fn prompts(list: &[String]) -> Result<Vec<String>, String> {
    if list.len() > MAX_PROMPTS {
        return Err(format!("at most {MAX_PROMPTS} prompts a node"));
    }
    if let Some(p) = list.iter().find(|p| !plain_prompt_name(p)) {
        return Err(format!("prompt name '{p}' is not letters, digits, - or _"));
    }
    Ok(list.to_vec())
}

fn range(what: &str, v: u64, lo: u64, hi: u64) -> Result<(), String> {
    if (lo..=hi).contains(&v) {
        Ok(())
    } else {
        Err(format!("{what} must be {lo}-{hi}"))
    }
}

/// What is wrong with a definition, and where: `field` is a path into it such as
/// `nodes.menu.timeout_ms` or `start`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowError {
    pub field: String,
    pub message: String,
}

impl FlowError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The same error one level down, e.g. inside the flow a sub-flow node names.
    pub fn within(self, prefix: &str) -> Self {
        Self {
            field: format!("{prefix}.{}", self.field),
            message: self.message,
        }
    }
}

impl std::fmt::Display for FlowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Whether a node's id is plain: 1-32 letters, digits, `-` or `_`. Sub-flows are inlined
/// under ids with a `/`, so they never clash with a flow's own.
pub fn plain_node_id(id: &str) -> bool {
    (1..=32).contains(&id.len())
        && id
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
}

/// Checks a definition whose sub-flows are inlined (`subflows::inline`) and makes the
/// switch's flow of it.
pub fn to_flow(name: &str, def: &FlowDef, zone: &TenantZone) -> Result<Flow, FlowError> {
    if def.nodes.is_empty() || def.nodes.len() > MAX_NODES {
        return Err(FlowError::new(
            "nodes",
            format!("a flow has 1-{MAX_NODES} nodes (sub-flows included)"),
        ));
    }
    let exists = |id: &str| -> Result<String, String> {
        if def.nodes.contains_key(id) {
            Ok(id.to_owned())
        } else {
            Err(format!("no node '{id}'"))
        }
    };
    exists(&def.start).map_err(|m| FlowError::new("start", m))?;
    let mut nodes = BTreeMap::new();
    for (id, n) in &def.nodes {
        let node = to_node(n, &exists, zone)
            .map_err(|(field, message)| FlowError::new(format!("nodes.{id}.{field}"), message))?;
        nodes.insert(id.clone(), node);
    }
    Ok(Flow {
        name: name.to_owned(),
        start: def.start.clone(),
        nodes,
    })
}

fn label(l: &str) -> Result<String, String> {
    let n = l.chars().count();
    if (1..=32).contains(&n) && !l.chars().any(char::is_control) {
        Ok(l.to_owned())
    } else {
        Err("a label is 1-32 characters".into())
    }
}

/// A node's error: (field, message).
type NodeResult<T> = Result<T, (&'static str, String)>;

/// Names the field a check was about.
fn at<T>(field: &'static str, r: Result<T, String>) -> NodeResult<T> {
    r.map_err(|m| (field, m))
}

fn to_node(
    n: &NodeDef,
    exists: &dyn Fn(&str) -> Result<String, String>,
    zone: &TenantZone,
) -> NodeResult<Node> {
    let (l, kind) = match n {
        NodeDef::Play {
            label,
            prompts: p,
            next,
        } => (
            label,
            NodeKind::Play {
                prompts: at("prompts", prompts(p))?,
                next: at("next", exists(next))?,
            },
        ),
        NodeDef::Menu {
            label,
            prompts: p,
            choices,
            timeout_ms,
            retries,
            invalid_prompts,
            fallback,
        } => {
            at(
                "timeout_ms",
                range("timeout_ms", *timeout_ms, 1_000, 60_000),
            )?;
            at("retries", range("retries", u64::from(*retries), 0, 9))?;
            let choices = choices
                .iter()
                .map(|(k, v)| Ok((key(k)?, exists(v)?)))
                .collect::<Result<_, String>>();
            let kind = NodeKind::Menu {
                prompts: at("prompts", prompts(p))?,
                choices: at("choices", choices)?,
                timeout_ms: *timeout_ms,
                retries: *retries,
                invalid_prompts: at("invalid_prompts", prompts(invalid_prompts))?,
                fallback: at("fallback", exists(fallback))?,
            };
            (label, kind)
        }
        NodeDef::Collect {
            label,
            prompts: p,
            variable,
            max_digits,
            terminator,
            timeout_ms,
            next,
            fallback,
        } => {
            at(
                "timeout_ms",
                range("timeout_ms", *timeout_ms, 1_000, 60_000),
            )?;
            at("max_digits", range("max_digits", *max_digits as u64, 1, 32))?;
            let plain = !variable.is_empty()
                && variable.len() <= 32
                && variable
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'_');
            if !plain {
                return Err(("variable", "a variable is 1-32 letters, digits or _".into()));
            }
            let terminator = at("terminator", terminator.as_deref().map(key).transpose())?;
            let kind = NodeKind::Collect {
                prompts: at("prompts", prompts(p))?,
                variable: variable.clone(),
                max_digits: *max_digits,
                terminator,
                timeout_ms: *timeout_ms,
                next: at("next", exists(next))?,
                fallback: at("fallback", exists(fallback))?,
            };
            (label, kind)
        }
        NodeDef::Hours {
            label,
            windows,
            holidays,
            open,
            closed,
        } => {
            let schedule = Schedule {
                zone: zone.clone(),
                windows: at("windows", weekly(windows))?,
                holidays: at("holidays", days(holidays))?,
            };
            (
                label,
                NodeKind::Hours {
                    schedule,
                    open: at("open", exists(open))?,
                    closed: at("closed", exists(closed))?,
                },
            )
        }
        NodeDef::Queue { label, queue_id } => (label, NodeKind::Queue(SkillQueueId(*queue_id))),
        NodeDef::Extension { label, number } => {
            if number.is_empty() || number.len() > 16 || !number.bytes().all(|c| c.is_ascii_digit())
            {
                return Err(("number", "an extension is 1-16 digits".into()));
            }
            (label, NodeKind::Extension(number.clone()))
        }
        NodeDef::Voicemail {
            label,
            prompts: p,
            max_seconds,
            queue_id,
        } => {
            at(
                "max_seconds",
                range("max_seconds", *max_seconds, 5, MAX_MESSAGE_S),
            )?;
            let voicemail = Voicemail {
                to: VoicemailTo::Task(SkillQueueId(*queue_id)),
                max_ms: max_seconds * 1_000,
            };
            let prompts = at("prompts", prompts(p))?;
            (label, NodeKind::Voicemail { prompts, voicemail })
        }
        NodeDef::Hangup { label } => (label, NodeKind::Hangup),
        NodeDef::SubFlow { .. } => {
            return Err((
                "flow_id",
                "a sub-flow must be inlined before the flow is used".into(),
            ))
        }
    };
    Ok(Node {
        label: at("label", label(l))?,
        kind,
    })
}

/// Weekly windows as (weekday 0 = Monday, from minute, to minute).
fn weekly(windows: &[WindowDef]) -> Result<Vec<(u8, u16, u16)>, String> {
    let mut w = Vec::new();
    for win in windows {
        let (from, to) = (minute(&win.from)?, minute(&win.to)?);
        for &d in &win.days {
            range("a window day", u64::from(d), 1, 7)?;
            w.push((d - 1, from, to));
        }
    }
    Ok(w)
}

fn days(holidays: &[String]) -> Result<Vec<i64>, String> {
    holidays
        .iter()
        .map(|h| {
            parse_date(h)
                .map(|(y, m, d)| days_from_civil(y, m, d))
                .ok_or_else(|| format!("holiday '{h}' is not YYYY-MM-DD"))
        })
        .collect()
}

/// The demo's main menu: Chinese then English, 1 → pre-sales, 2 → after-sales, 0 → the
/// operator's extension, no key twice → pre-sales.
pub fn demo_flow(presales: SkillQueueId, aftersales: SkillQueueId, operator: &str) -> FlowDef {
    let menu = NodeDef::Menu {
        label: "主菜单 Main menu".into(),
        prompts: vec!["zh-welcome".into(), "en-welcome".into()],
        choices: BTreeMap::from([
            ("1".into(), "presales".into()),
            ("2".into(), "aftersales".into()),
            ("0".into(), "operator".into()),
        ]),
        timeout_ms: 5_000,
        retries: 2,
        invalid_prompts: vec!["zh-invalid".into(), "en-invalid".into()],
        fallback: "presales".into(),
    };
    let hours = NodeDef::Hours {
        label: "营业时间 Hours".into(),
        windows: vec![WindowDef {
            days: (1..=7).collect(),
            from: "00:00".into(),
            to: "24:00".into(),
        }],
        holidays: vec![],
        open: "menu".into(),
        closed: "closed".into(),
    };
    FlowDef {
        start: "hours".into(),
        nodes: BTreeMap::from([
            ("hours".into(), hours),
            ("menu".into(), menu),
            (
                "presales".into(),
                NodeDef::Queue {
                    label: "售前 Presales".into(),
                    queue_id: presales.0,
                },
            ),
            (
                "aftersales".into(),
                NodeDef::Queue {
                    label: "售后 After-sales".into(),
                    queue_id: aftersales.0,
                },
            ),
            (
                "operator".into(),
                NodeDef::Extension {
                    label: "人工 Operator".into(),
                    number: operator.into(),
                },
            ),
            (
                "closed".into(),
                NodeDef::Play {
                    label: "下班 Closed".into(),
                    prompts: vec!["zh-goodbye".into(), "en-goodbye".into()],
                    next: "bye".into(),
                },
            ),
            (
                "bye".into(),
                NodeDef::Hangup {
                    label: "挂机 Hang up".into(),
                },
            ),
        ]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_flow_checks_and_bad_ones_say_why() {
        let zone = TenantZone::utc();
        let (a, b) = (SkillQueueId::new(), SkillQueueId::new());
        let demo = demo_flow(a, b, "1001");
        let flow = to_flow("demo", &demo, &zone).unwrap();
        assert_eq!(flow.start, "hours");
        let text = serde_json::to_string(&demo).unwrap();
        assert_eq!(
            serde_json::from_str::<FlowDef>(&text).unwrap(),
            demo,
            "the JSON round-trips"
        );

        let mut bad = demo.clone();
        bad.start = "nowhere".into();
        assert_eq!(
            to_flow("x", &bad, &zone).unwrap_err(),
            FlowError::new("start", "no node 'nowhere'")
        );
        let mut bad = demo.clone();
        if let Some(NodeDef::Menu { choices, .. }) = bad.nodes.get_mut("menu") {
            choices.insert("12".into(), "presales".into());
        }
        let err = to_flow("x", &bad, &zone).unwrap_err();
        assert_eq!(err.field, "nodes.menu.choices");
        assert!(err.message.contains("key '12'"), "{err}");
        let mut bad = demo;
        if let Some(NodeDef::Menu { timeout_ms, .. }) = bad.nodes.get_mut("menu") {
            *timeout_ms = 10;
        }
        let err = to_flow("x", &bad, &zone).unwrap_err();
        assert_eq!(err.field, "nodes.menu.timeout_ms");
        assert_eq!(err.message, "timeout_ms must be 1000-60000");
        assert!(serde_json::from_str::<FlowDef>(
            r#"{"start":"a","nodes":{"a":{"type":"hangup","label":"x","extra":1}}}"#
        )
        .is_err());
    }

    #[test]
    fn a_voicemail_node_leaves_the_walk_with_its_greeting_and_limit() {
        let zone = TenantZone::utc();
        let queue = SkillQueueId::new();
        let text = format!(
            r#"{{"start":"vm","nodes":{{"vm":{{"type":"voicemail","label":"留言 Message","prompts":["zh-voicemail"],"max_seconds":90,"queue_id":"{}"}}}}}}"#,
            queue.0
        );
        let def: FlowDef = serde_json::from_str(&text).unwrap();
        let flow = to_flow("vm", &def, &zone).unwrap();
        let mut walk = switchboard_voice::ivr::Walk::new(flow);
        assert_eq!(
            walk.start(0),
            [switchboard_voice::ivr::Action::Done(
                switchboard_voice::ivr::Exit::Voicemail {
                    prompts: vec!["zh-voicemail".into()],
                    voicemail: Voicemail {
                        to: VoicemailTo::Task(queue),
                        max_ms: 90_000
                    },
                }
            )]
        );
        let long = text.replace("\"max_seconds\":90", "\"max_seconds\":3600");
        let def: FlowDef = serde_json::from_str(&long).unwrap();
        let err = to_flow("vm", &def, &zone).unwrap_err();
        assert_eq!(err.field, "nodes.vm.max_seconds", "{err}");
        assert_eq!(err.message, "max_seconds must be 5-600");
    }
}
