//! What storage keeps of the customer directory (issue #16): the customer record (the web
//! chat's customers, grown into the directory), the keys a customer is found by (phone numbers
//! and e-mail addresses, each held by one customer of a tenant), the search terms, merging,
//! the tenant's custom field definitions, and the contacts and tickets of a customer's trail.
//! The server decides what is valid and computes the terms; storage keeps and finds.

use switchboard_engine::{CustomerId, TenantId, TicketId, UserId};

use crate::{Millis, Result, StoredContact};

/// A directory customer as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryCustomer {
    pub id: CustomerId,
    /// `visitor:<id>` (anonymous chat), `id:<host id>` (verified by the host site) or
    /// `customer:<id>` (known from a call, a ticket or the directory itself).
    pub identity: String,
    pub verified: bool,
    pub name: Option<String>,
    /// E.164, in the order given.
    pub phones: Vec<String>,
    /// Lower-cased, in the order given.
    pub emails: Vec<String>,
    pub tags: Vec<String>,
    pub notes: String,
    /// The custom field values: a JSON object owned by the server.
    pub fields: String,
    pub version: i64,
    /// The survivor this record was merged into.
    pub merged_into: Option<CustomerId>,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// What a save writes: everything an edit may change, and the search terms of the result.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerWrite {
    pub name: Option<String>,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub tags: Vec<String>,
    pub notes: String,
    pub fields: String,
    /// A verified host-site identity (`id:<host id>`) to take; `None` keeps the identity.
    pub host_identity: Option<String>,
    /// Distinct search terms.
    pub terms: Vec<String>,
}

/// One term of a search: exact, or any term starting with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerTerm {
    pub text: String,
    pub prefix: bool,
}

/// A page of the directory: customers not merged away holding every term, newest-updated
/// first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerQuery {
    pub terms: Vec<CustomerTerm>,
    pub offset: u32,
    pub limit: u32,
}

/// Where a page of a trail starts, in the trail's order (newest first, then by id): the
/// last entry of the previous page, `(created_at, id)`; entries after it are older, or as
/// old with a smaller id, so entries of the same millisecond are never skipped.
pub type TrailCursor = Option<(Millis, uuid::Uuid)>;

/// The tickets naming a customer: by one of their phone numbers' written forms, or linked
/// to one of their contacts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerTicket {
    pub id: TicketId,
    pub number: i64,
    pub title: String,
    pub status: String,
    pub created_at: Millis,
}

/// The customer directory.
#[async_trait::async_trait]
pub trait CustomerStore: Send + Sync {
    /// Creates a directory customer (`customer:<id>` identity unless a host identity is
    /// given). `Conflict("customer_keys")` when a phone or e-mail is another customer's.
    async fn create_customer(
        &self,
        tenant: TenantId,
        id: CustomerId,
        write: &CustomerWrite,
        now: Millis,
    ) -> Result<DirectoryCustomer>;
    /// Creates all these customers or none (an import); `Conflict` names a key already held.
    async fn import_customers(
        &self,
        tenant: TenantId,
        customers: &[(CustomerId, CustomerWrite)],
        now: Millis,
    ) -> Result<usize>;
    async fn directory_customer(
        &self,
        tenant: TenantId,
        id: CustomerId,
    ) -> Result<Option<DirectoryCustomer>>;
    /// Replaces what `write` holds if the record is still at `version` (`Stale` otherwise,
    /// `NotFound` for a merged or missing record, `Conflict` for a key another customer holds).
    async fn update_customer(
        &self,
        tenant: TenantId,
        id: CustomerId,
        version: i64,
        write: &CustomerWrite,
        now: Millis,
    ) -> Result<DirectoryCustomer>;
    /// The customer holding this phone number (E.164) or e-mail (lower-cased).
    async fn customer_by_key(
        &self,
        tenant: TenantId,
        kind: KeyKind,
        value: &str,
    ) -> Result<Option<DirectoryCustomer>>;
    /// The customer holding this phone number, created (named by nothing but the number,
    /// with these terms) when none does.
    async fn customer_for_phone(
        &self,
        tenant: TenantId,
        phone: &str,
        terms: &[String],
        now: Millis,
    ) -> Result<CustomerId>;
    /// Chat customers whose keys and terms were never written, oldest first, of any tenant.
    async fn unindexed_customers(&self, limit: u32) -> Result<Vec<(TenantId, CustomerId)>>;
    async fn search_customers(
        &self,
        tenant: TenantId,
        q: &CustomerQuery,
    ) -> Result<Vec<DirectoryCustomer>>;
    /// Merges `from` into `into` in one transaction: `from` is marked merged (and so are the
    /// records merged into it before), loses its keys and terms, and `into` is saved with
    /// `write` (the union the server made) if still at `version`. `NotFound` when either is
    /// missing or already merged, `Stale` when `into` moved on.
    async fn merge_customers(
        &self,
        tenant: TenantId,
        into: CustomerId,
        from: CustomerId,
        version: i64,
        write: &CustomerWrite,
        now: Millis,
    ) -> Result<DirectoryCustomer>;
    /// The records merged into this one (their ids still name the old contacts).
    async fn merged_customers(&self, tenant: TenantId, id: CustomerId) -> Result<Vec<CustomerId>>;

    /// The tenant's custom field definitions (JSON owned by the server), if ever saved.
    async fn customer_field_defs(&self, tenant: TenantId) -> Result<Option<String>>;
    async fn set_customer_field_defs(&self, tenant: TenantId, definition: &str) -> Result<()>;

    /// Contacts whose customer is one of `refs` (customer ids or a number's written forms),
    /// after `before` in the trail's order, newest first, at most `limit`.
    async fn trail_contacts(
        &self,
        tenant: TenantId,
        refs: &[String],
        before: TrailCursor,
        limit: u32,
    ) -> Result<Vec<StoredContact>>;
    /// Tickets whose phone is one of `phones` or linked to a contact whose customer is one
    /// of `refs` (`refs` holds `phones`), after `before` in the trail's order, newest first,
    /// at most `limit`.
    async fn trail_tickets(
        &self,
        tenant: TenantId,
        phones: &[String],
        refs: &[String],
        before: TrailCursor,
        limit: u32,
    ) -> Result<Vec<CustomerTicket>>;
    /// An agent's own contacts, newest first: the open ones (connected or wrapping up) or the
    /// closed ones, after `before` in the same order.
    async fn agent_contacts(
        &self,
        tenant: TenantId,
        agent: UserId,
        open: bool,
        before: TrailCursor,
        limit: u32,
    ) -> Result<Vec<StoredContact>>;
}

/// What a key is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Phone,
    Email,
}

impl KeyKind {
    pub fn code(self) -> &'static str {
        match self {
            KeyKind::Phone => "phone",
            KeyKind::Email => "email",
        }
    }
}
