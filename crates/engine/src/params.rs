//! Tenant and agent parameters (A6) and the sign-in skill mode precedence rule of source 000.

use crate::queue::{bounded_number, code_enum};

code_enum!(
    /// The state an agent enters right after signing in (签入后的座席状态).
    PostSignInState, "post_sign_in_state" {
        Idle => "idle",
        WrapUp => "wrap_up",
        Busy => "busy",
    }
);

code_enum!(
    /// The tenant-level sign-in skill mode (租户级参数"座席签入技能方式").
    TenantSignInMode, "sign_in_mode" {
        AgentConfigured => "agent_configured",
        UnifiedAutomatic => "unified_automatic",
        UnifiedSpecified => "unified_specified",
    }
);

code_enum!(
    /// The agent-level sign-in skill mode (座席级参数"座席签入技能方式").
    AgentSignInMode, "sign_in_mode" {
        Automatic => "automatic",
        Specified => "specified",
    }
);

/// How an agent signs in, once both levels are taken into account.
pub type EffectiveSignInMode = AgentSignInMode;

bounded_number!(
    /// Seconds an offer rings before it times out (R2).
    OfferTimeout, "offer_timeout_s", 5..=300
);
bounded_number!(
    /// Seconds of wrap-up before the agent returns to work by itself; 0 means no limit.
    WrapUpLimit, "wrap_up_limit_s", 0..=86_400
);
bounded_number!(
    /// Unanswered offers in a row before the agent is set busy; 0 means never.
    NoAnswerLimit, "no_answer_limit", 0..=100
);
bounded_number!(
    /// How many tasks an agent may hold at once (R3).
    TaskLimit, "task_limit", 1..=50
);
bounded_number!(
    /// Seconds a returning customer's contact waits for their familiar agent (R5); 0 = off.
    FamiliarWait, "familiar_wait_s", 0..=600
);
bounded_number!(
    /// Seconds after sending during which an agent may withdraw a chat message (M9).
    RecallLimit, "recall_limit_s", 0..=3600
);

/// Tenant parameters. Changes apply on the agent's next page load (source 000).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantParams {
    pub post_sign_in_state: PostSignInState,
    pub sign_in_mode: TenantSignInMode,
    pub auto_answer: bool,
    pub wrap_up_limit: WrapUpLimit,
    pub summary_required: bool,
    pub offer_timeout: OfferTimeout,
    pub no_answer_limit: NoAnswerLimit,
    /// Whether chats may be offered to an agent who is on a call (R3).
    pub chat_during_call: bool,
    pub task_limit: TaskLimit,
    pub familiar_wait: FamiliarWait,
    pub recall_limit: RecallLimit,
}

impl Default for TenantParams {
    fn default() -> Self {
        Self {
            post_sign_in_state: PostSignInState::Idle,
            sign_in_mode: TenantSignInMode::AgentConfigured,
            auto_answer: false,
            wrap_up_limit: WrapUpLimit(60),
            summary_required: false,
            offer_timeout: OfferTimeout(20),
            no_answer_limit: NoAnswerLimit(3),
            chat_during_call: false,
            task_limit: TaskLimit(1),
            familiar_wait: FamiliarWait(0),
            recall_limit: RecallLimit(120),
        }
    }
}

/// Parameters of one agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgentParams {
    pub sign_in_mode: AgentSignInMode,
    pub auto_answer: bool,
}

impl Default for AgentParams {
    fn default() -> Self {
        Self {
            sign_in_mode: AgentSignInMode::Automatic,
            auto_answer: false,
        }
    }
}

impl TenantParams {
    /// Source 000: when the tenant mode is "agent self-configured" the agent's own mode
    /// decides; otherwise the tenant mode decides.
    pub fn effective_sign_in_mode(&self, agent: &AgentParams) -> EffectiveSignInMode {
        match self.sign_in_mode {
            TenantSignInMode::AgentConfigured => agent.sign_in_mode,
            TenantSignInMode::UnifiedAutomatic => AgentSignInMode::Automatic,
            TenantSignInMode::UnifiedSpecified => AgentSignInMode::Specified,
        }
    }

    /// Auto-answer is on when the tenant turns it on for everyone or the agent turns it on
    /// for themself (001 puts it in the hotline settings; 000 lets an agent use it).
    pub fn effective_auto_answer(&self, agent: &AgentParams) -> bool {
        self.auto_answer || agent.auto_answer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_mode(mode: TenantSignInMode) -> TenantParams {
        TenantParams {
            sign_in_mode: mode,
            ..TenantParams::default()
        }
    }

    #[test]
    fn sign_in_mode_precedence_follows_source_000() {
        let automatic = AgentParams::default();
        let specified = AgentParams {
            sign_in_mode: AgentSignInMode::Specified,
            ..AgentParams::default()
        };
        let own = with_mode(TenantSignInMode::AgentConfigured);
        assert_eq!(
            own.effective_sign_in_mode(&automatic),
            AgentSignInMode::Automatic
        );
        assert_eq!(
            own.effective_sign_in_mode(&specified),
            AgentSignInMode::Specified
        );
        let auto = with_mode(TenantSignInMode::UnifiedAutomatic);
        assert_eq!(
            auto.effective_sign_in_mode(&specified),
            AgentSignInMode::Automatic
        );
        let spec = with_mode(TenantSignInMode::UnifiedSpecified);
        assert_eq!(
            spec.effective_sign_in_mode(&automatic),
            AgentSignInMode::Specified
        );
    }

    #[test]
    fn defaults_match_the_sources() {
        let t = TenantParams::default();
        assert_eq!(t.sign_in_mode, TenantSignInMode::AgentConfigured);
        assert_eq!(
            AgentParams::default().sign_in_mode,
            AgentSignInMode::Automatic
        );
    }

    #[test]
    fn auto_answer_is_either_level() {
        let mut t = TenantParams::default();
        let mut a = AgentParams::default();
        assert!(!t.effective_auto_answer(&a));
        a.auto_answer = true;
        assert!(t.effective_auto_answer(&a));
        a.auto_answer = false;
        t.auto_answer = true;
        assert!(t.effective_auto_answer(&a));
    }

    #[test]
    fn limits_are_bounded() {
        assert!(OfferTimeout::new(4).is_err());
        assert!(WrapUpLimit::new(0).is_ok());
        assert!(NoAnswerLimit::new(101).is_err());
    }
}
