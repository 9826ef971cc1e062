//! IVR flows (V1): a graph of nodes a caller walks with the keypad — play prompts, a menu
//! with a timeout, retries and an invalid-input branch, collect digits into a variable,
//! branch on business hours, and end in a skill queue, an extension, voicemail or a hang-up. The walk
//! is sans-IO: digits, prompt ends and the time in; prompts to play, timers and the end of
//! the walk out. The path taken ("主菜单 → 1 售前") and the variables go with the call.

use std::collections::BTreeMap;

use switchboard_engine::{SkillQueueId, TenantZone};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    pub name: String,
    pub start: String,
    pub nodes: BTreeMap<String, Node>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// How the node is named in the call's path.
    pub label: String,
    pub kind: NodeKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeKind {
    Play {
        prompts: Vec<String>,
        next: String,
    },
    Menu {
        prompts: Vec<String>,
        choices: BTreeMap<char, String>,
        timeout_ms: u64,
        /// Times the menu is offered again after no or a wrong key, before `fallback`.
        retries: u32,
        invalid_prompts: Vec<String>,
        fallback: String,
    },
    Collect {
        prompts: Vec<String>,
        variable: String,
        max_digits: usize,
        /// Ends the input early (usually `#`).
        terminator: Option<char>,
        timeout_ms: u64,
        next: String,
        fallback: String,
    },
    Hours {
        schedule: Schedule,
        open: String,
        closed: String,
    },
    Queue(SkillQueueId),
    Extension(String),
    /// Leave a message after `prompts` (and a tone): it becomes a callback task.
    Voicemail {
        prompts: Vec<String>,
        voicemail: crate::announce::Voicemail,
    },
    Hangup,
}

/// Business hours in the tenant's zone: weekly windows and holidays (closed all day).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub zone: TenantZone,
    /// (weekday 0 = Monday … 6 = Sunday, from minute of day, to minute of day).
    pub windows: Vec<(u8, u16, u16)>,
    /// Days as days since 1970-01-01 in the tenant's zone.
    pub holidays: Vec<i64>,
}

impl Schedule {
    pub fn always_open(zone: TenantZone) -> Schedule {
        Schedule {
            zone,
            windows: (0..7).map(|d| (d, 0, 24 * 60)).collect(),
            holidays: Vec::new(),
        }
    }

    pub fn is_open(&self, now_ms: u64) -> bool {
        let offset = i64::from(self.zone.offset_min_at(now_ms as i64)) * 60_000;
        let local = now_ms as i64 + offset;
        let day = local.div_euclid(86_400_000);
        let minute = (local.rem_euclid(86_400_000) / 60_000) as u16;
        // 1970-01-01 was a Thursday (3 when Monday is 0).
        let weekday = (day + 3).rem_euclid(7) as u8;
        !self.holidays.contains(&day)
            && self
                .windows
                .iter()
                .any(|&(d, from, to)| d == weekday && minute >= from && minute < to)
    }
}

/// Where a walk ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exit {
    Queue(SkillQueueId),
    Extension(String),
    Voicemail {
        prompts: Vec<String>,
        voicemail: crate::announce::Voicemail,
    },
    Hangup,
}

/// What the switch must do for the walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Play these prompts in order; `interruptible`: a key stops them.
    Play {
        prompts: Vec<String>,
        interruptible: bool,
    },
    StopPrompts,
    /// Call `on_timeout` at this time (replaces any earlier timer).
    Timer(u64),
    Done(Exit),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Waiting {
    /// For the prompts of the current node to end.
    Prompts,
    /// For keys, until the timer.
    Keys,
    /// The invalid-input prompt plays; then the menu again.
    Invalid,
    Finished,
}

/// One caller's walk through a flow.
pub struct Walk {
    flow: Flow,
    node: String,
    waiting: Waiting,
    tries: u32,
    digits: String,
    /// (node label, key pressed there).
    pub path: Vec<(String, Option<char>)>,
    pub variables: BTreeMap<String, String>,
    steps: u32,
}

/// A walk that passes more nodes than this without waiting for the caller is a loop in
/// the flow: it hangs up instead of spinning.
const MAX_STEPS: u32 = 64;

impl Walk {
    pub fn new(flow: Flow) -> Walk {
        let node = flow.start.clone();
        Walk {
            flow,
            node,
            waiting: Waiting::Finished,
            tries: 0,
            digits: String::new(),
            path: Vec::new(),
            variables: BTreeMap::new(),
            steps: 0,
        }
    }

    /// The path as callers' records show it: `主菜单 → 1 售前`.
    pub fn path_text(&self) -> String {
        let parts: Vec<String> = self
            .path
            .iter()
            .enumerate()
            .map(
                |(i, (label, _))| match i.checked_sub(1).and_then(|p| self.path[p].1) {
                    Some(key) => format!("{key} {label}"),
                    None => label.clone(),
                },
            )
            .collect();
        parts.join(" → ")
    }

    pub fn start(&mut self, now: u64) -> Vec<Action> {
        let start = self.flow.start.clone();
        self.enter(now, &start)
    }

    fn enter(&mut self, now: u64, id: &str) -> Vec<Action> {
        self.steps += 1;
        let Some(node) = self
            .flow
            .nodes
            .get(id)
            .cloned()
            .filter(|_| self.steps <= MAX_STEPS)
        else {
            return self.finish(Exit::Hangup);
        };
        self.node = id.to_owned();
        self.tries = 0;
        self.digits.clear();
        self.path.push((node.label.clone(), None));
        match node.kind {
            NodeKind::Play { prompts, .. } => self.play(prompts, false),
            NodeKind::Menu { prompts, .. } | NodeKind::Collect { prompts, .. } => {
                self.play(prompts, true)
            }
            NodeKind::Hours {
                schedule,
                open,
                closed,
            } => {
                let next = if schedule.is_open(now) { open } else { closed };
                self.enter(now, &next)
            }
            NodeKind::Queue(q) => self.finish(Exit::Queue(q)),
            NodeKind::Extension(n) => self.finish(Exit::Extension(n)),
            NodeKind::Voicemail { prompts, voicemail } => {
                self.finish(Exit::Voicemail { prompts, voicemail })
            }
            NodeKind::Hangup => self.finish(Exit::Hangup),
        }
    }

    fn play(&mut self, prompts: Vec<String>, interruptible: bool) -> Vec<Action> {
        self.waiting = Waiting::Prompts;
        vec![Action::Play {
            prompts,
            interruptible,
        }]
    }

    fn finish(&mut self, exit: Exit) -> Vec<Action> {
        self.waiting = Waiting::Finished;
        vec![Action::Done(exit)]
    }

    fn current(&self) -> Option<NodeKind> {
        self.flow.nodes.get(&self.node).map(|n| n.kind.clone())
    }

    /// The prompts asked for last have all played.
    pub fn on_prompts_done(&mut self, now: u64) -> Vec<Action> {
        match (self.waiting.clone(), self.current()) {
            (Waiting::Prompts, Some(NodeKind::Play { next, .. })) => self.enter(now, &next),
            (
                Waiting::Prompts,
                Some(NodeKind::Menu { timeout_ms, .. } | NodeKind::Collect { timeout_ms, .. }),
            ) => {
                self.waiting = Waiting::Keys;
                vec![Action::Timer(now + timeout_ms)]
            }
            (Waiting::Invalid, Some(NodeKind::Menu { prompts, .. })) => self.play(prompts, true),
            _ => Vec::new(),
        }
    }

    pub fn on_digit(&mut self, now: u64, key: char) -> Vec<Action> {
        let listening = matches!(self.waiting, Waiting::Prompts | Waiting::Keys);
        let Some(kind) = self.current().filter(|_| listening) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        if self.waiting == Waiting::Prompts {
            out.push(Action::StopPrompts);
        }
        match kind {
            NodeKind::Menu {
                choices,
                retries,
                invalid_prompts,
                fallback,
                ..
            } => match choices.get(&key) {
                Some(next) => {
                    if let Some(last) = self.path.last_mut() {
                        last.1 = Some(key);
                    }
                    out.extend(self.enter(now, &next.clone()));
                }
                None => out.extend(self.retry(now, retries, invalid_prompts, &fallback)),
            },
            NodeKind::Collect {
                variable,
                max_digits,
                terminator,
                timeout_ms,
                next,
                ..
            } => {
                if Some(key) == terminator {
                    out.extend(self.collected(now, &variable, &next));
                } else {
                    self.digits.push(key);
                    if self.digits.len() >= max_digits {
                        out.extend(self.collected(now, &variable, &next));
                    } else {
                        self.waiting = Waiting::Keys;
                        out.push(Action::Timer(now + timeout_ms));
                    }
                }
            }
            _ => out.clear(),
        }
        out
    }

    fn collected(&mut self, now: u64, variable: &str, next: &str) -> Vec<Action> {
        self.variables
            .insert(variable.to_owned(), std::mem::take(&mut self.digits));
        self.enter(now, next)
    }

    fn retry(
        &mut self,
        now: u64,
        retries: u32,
        invalid: Vec<String>,
        fallback: &str,
    ) -> Vec<Action> {
        self.tries += 1;
        if self.tries > retries {
            return self.enter(now, fallback);
        }
        self.waiting = Waiting::Invalid;
        if invalid.is_empty() {
            return self.on_prompts_done(now);
        }
        vec![Action::Play {
            prompts: invalid,
            interruptible: true,
        }]
    }

    pub fn on_timeout(&mut self, now: u64) -> Vec<Action> {
        if self.waiting != Waiting::Keys {
            return Vec::new();
        }
        match self.current() {
            Some(NodeKind::Menu {
                retries,
                fallback,
                prompts,
                ..
            }) => {
                self.tries += 1;
                if self.tries > retries {
                    return self.enter(now, &fallback);
                }
                self.play(prompts, true)
            }
            Some(NodeKind::Collect {
                variable,
                next,
                fallback,
                ..
            }) => {
                if self.digits.is_empty() {
                    self.enter(now, &fallback)
                } else {
                    self.collected(now, &variable, &next)
                }
            }
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests;
