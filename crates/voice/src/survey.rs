//! The satisfaction survey (V12): on a hotline number with the survey on, a customer whose
//! agent released is not hung up on but asked to rate the service, 1 to 5, by key. A key
//! outside 1-5 or silence asks once more; then, or when they hang up, the call is "not
//! rated". The agent is free at once: the survey runs without them.

use crate::call::{CallEvent, CallRef, CallState, Party, ReleasedBy};
use crate::media::{LegId, MediaCommand};
use crate::switch::{Output, Switch, Timer};

const QUESTION: [&str; 2] = ["zh-survey", "en-survey"];
const THANKS: [&str; 2] = ["zh-survey-thanks", "en-survey-thanks"];
const GOODBYE: [&str; 2] = ["zh-goodbye", "en-goodbye"];
/// How long the customer has to press a key once the question has played.
pub const ANSWER_MS: u64 = 8_000;
/// Times the question is asked before the call ends unrated.
const ASKS: u8 = 2;

fn play(leg: LegId, prompts: [&str; 2], interruptible: bool) -> Output {
    Output::Media(MediaCommand::Play {
        leg,
        prompts: prompts.map(str::to_owned).to_vec(),
        interruptible,
    })
}

impl Switch {
    /// The agent left (`by`) a connected call: when its number has the survey on, the
    /// customer is asked to rate and `true` is returned; the agent's side is released.
    pub(crate) fn start_survey(&mut self, now: u64, call: CallRef, by: &ReleasedBy) -> bool {
        let Some(c) = self.calls.get_mut(&call) else {
            return false;
        };
        let agent_left = matches!(by, ReleasedBy::Callee(Party::Agent(_)));
        if !c.survey || !agent_left || c.state != CallState::Talking {
            return false;
        }
        c.state = CallState::Survey { asked: 1 };
        c.released_by = Some(by.clone());
        let caller = c.caller_leg;
        self.leave_caller_alone(now, call);
        self.outputs.push_back(play(caller, QUESTION, true));
        self.outputs
            .push_back(Output::Call(CallEvent::SurveyStarted {
                call,
                released_by: by.clone(),
            }));
        true
    }

    /// A key from a customer being surveyed; `true` when it was for the survey.
    pub(crate) fn survey_digit(&mut self, leg: LegId, digit: char) -> bool {
        let Some((call, asked)) = self.surveying(leg) else {
            return false;
        };
        self.clear_timer(Timer::Survey(call));
        match digit.to_digit(10).filter(|d| (1..=5).contains(d)) {
            Some(score) => self.rated(call, leg, Some(score as u8)),
            None => self.ask_again(call, leg, asked),
        }
        true
    }

    /// The question has played: the customer has a while to answer; `true` when surveying.
    pub(crate) fn survey_prompts_done(&mut self, now: u64, leg: LegId) -> bool {
        let Some((call, _)) = self.surveying(leg) else {
            return false;
        };
        self.clear_timer(Timer::Survey(call));
        self.set_timer(now + ANSWER_MS, Timer::Survey(call));
        true
    }

    pub(crate) fn survey_timeout(&mut self, call: CallRef) {
        let Some(c) = self.calls.get(&call) else {
            return;
        };
        if let CallState::Survey { asked } = c.state {
            let leg = c.caller_leg;
            self.ask_again(call, leg, asked);
        }
    }

    /// A caller hanging up mid-survey leaves the call unrated; so does one who hangs up
    /// first, while talking (`caller_left_first`, on a number with the survey).
    pub(crate) fn survey_abandoned(
        &mut self,
        call: CallRef,
        was: &CallState,
        caller_left_first: bool,
    ) {
        let first = caller_left_first && *was == CallState::Talking;
        if matches!(was, CallState::Survey { .. }) || first {
            self.clear_timer(Timer::Survey(call));
            self.outputs
                .push_back(Output::Call(CallEvent::Rated { call, score: None }));
        }
    }

    fn ask_again(&mut self, call: CallRef, leg: LegId, asked: u8) {
        if asked >= ASKS {
            return self.rated(call, leg, None);
        }
        if let Some(c) = self.calls.get_mut(&call) {
            c.state = CallState::Survey { asked: asked + 1 };
        }
        self.outputs.push_back(play(leg, QUESTION, true));
    }

    /// The survey's outcome; the customer hears thanks (or goodbye) and the call ends.
    fn rated(&mut self, call: CallRef, leg: LegId, score: Option<u8>) {
        if let Some(c) = self.calls.get_mut(&call) {
            c.state = CallState::Farewell;
        }
        let words = if score.is_some() { THANKS } else { GOODBYE };
        self.outputs.push_back(play(leg, words, false));
        self.outputs
            .push_back(Output::Call(CallEvent::Rated { call, score }));
    }

    fn surveying(&self, leg: LegId) -> Option<(CallRef, u8)> {
        let call = self.legs.get(&leg)?.call;
        let c = self.calls.get(&call)?;
        match c.state {
            CallState::Survey { asked } if c.caller_leg == leg => Some((call, asked)),
            _ => None,
        }
    }
}
