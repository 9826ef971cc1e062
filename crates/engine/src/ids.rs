//! Typed identifiers, so a user id can never be passed where a queue id is expected.

use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh, time-ordered id (UUIDv7), so ids sort roughly by creation.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            pub fn parse(text: &str) -> Option<Self> {
                Uuid::parse_str(text).ok().map(Self)
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A tenant (租户): the unit of isolation; every record belongs to exactly one.
    TenantId
);
id_type!(
    /// A user account: agent, supervisor or admin.
    UserId
);
id_type!(
    /// A role: a named set of permissions.
    RoleId
);
id_type!(
    /// A skill queue (技能队列).
    SkillQueueId
);
id_type!(
    /// A category tag (类目标签).
    TagId
);
id_type!(
    /// A contact (接触): one call, chat session or task.
    ContactId
);
id_type!(
    /// A customer: an anonymous web visitor or an identity verified by the host site.
    CustomerId
);
id_type!(
    /// A chat message.
    MessageId
);
id_type!(
    /// A canned reply.
    CannedReplyId
);
id_type!(
    /// A document of the library.
    DocumentId
);
id_type!(
    /// A file sent in a conversation.
    FileId
);
id_type!(
    /// A chat entry point (a place a company embeds the chat widget).
    ChatEntryId
);
id_type!(
    /// A ticket (工单).
    TicketId
);
id_type!(
    /// A node of the ticket category tree (类目).
    TicketCategoryId
);
id_type!(
    /// A ticket type (工单类型): its fields, workflow and automation rules.
    TicketTypeId
);
id_type!(
    /// A ticket template (工单模板): an ordered subset of a type's fields.
    TicketTemplateId
);
id_type!(
    /// A saved ticket list definition (工单视图).
    TicketViewId
);
id_type!(
    /// A user's timed reminder on a ticket.
    ReminderId
);
id_type!(
    /// A SIP trunk (中继): a carrier or PBX that calls come in through.
    SipTrunkId
);
id_type!(
    /// A hotline number (热线号码) and where its calls go.
    HotlineNumberId
);
id_type!(
    /// An IVR flow (语音导航流程).
    IvrFlowId
);
id_type!(
    /// A number group (号码组): the hotline numbers a skill queue's agents may present as
    /// caller ID on outbound calls.
    NumberGroupId
);
id_type!(
    /// A quality scorecard (质检评分表); its definition is kept in numbered versions.
    ScorecardId
);
id_type!(
    /// A quality review (质检记录): one contact scored against one scorecard version.
    ReviewId
);
id_type!(
    /// A random draw of contacts for quality review (抽检).
    SampleId
);
