//! What storage keeps of web chat: entry points, customers, messages.

use switchboard_engine::chat::{EntryName, MessageKind, Sender};
use switchboard_engine::{ChatEntryId, ContactId, CustomerId, MessageId, SkillQueueId, UserId};

use crate::Millis;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatEntry {
    pub id: ChatEntryId,
    pub name: EntryName,
    pub title: String,
    /// The chat queue new conversations go to.
    pub queue: SkillQueueId,
    pub prechat_form: bool,
    /// Key the host site signs verified identities with (HMAC-SHA256), if any.
    pub identity_secret: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    pub id: CustomerId,
    /// `visitor:<id>` for anonymous visitors, `id:<host id>` for verified identities.
    pub identity: String,
    pub verified: bool,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// Contact details a customer gave (pre-chat form); `None` keeps what is stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerDetails {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// A message to append. `client_id` makes a retry return the first copy instead of a
/// second one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewChatMessage {
    pub id: MessageId,
    pub contact: ContactId,
    pub sender: Sender,
    pub agent: Option<UserId>,
    pub client_id: Option<String>,
    pub kind: MessageKind,
    pub body: String,
    pub created_at: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatMessage {
    pub id: MessageId,
    pub contact: ContactId,
    /// The message's place in its conversation: 1, 2, 3… the same for both sides.
    pub seq: i64,
    pub sender: Sender,
    pub agent: Option<UserId>,
    pub client_id: Option<String>,
    pub kind: MessageKind,
    pub body: String,
    pub created_at: Millis,
    pub recalled_at: Option<Millis>,
}

/// A canned reply: the owner's own when `owner` is set, the whole team's otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CannedReply {
    pub id: switchboard_engine::CannedReplyId,
    pub owner: Option<UserId>,
    pub title: String,
    pub text: String,
}

/// A document of the library, sent to customers as a link card (M2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub id: switchboard_engine::DocumentId,
    pub title: String,
    pub url: String,
    pub description: Option<String>,
}

/// A file sent in a conversation. `access_key` must accompany every download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub id: switchboard_engine::FileId,
    pub contact: ContactId,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub access_key: String,
    pub data: Vec<u8>,
    pub created_at: Millis,
}
