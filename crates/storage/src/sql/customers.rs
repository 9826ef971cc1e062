//! The customer directory: records with their keys (phones, e-mails) and search terms
//! rewritten whole on each save, find-or-create by phone, search through the terms table,
//! merging, custom field definitions, and the contacts and tickets of a customer's trail.

use switchboard_engine::{CustomerId, TenantId, TicketId, UserId};
use uuid::Uuid;

use super::contacts::{push_in, CONTACT_COLUMNS};
use super::{Db, Store, Tx};
use crate::customers::{
    CustomerQuery, CustomerStore, CustomerTicket, CustomerWrite, DirectoryCustomer, KeyKind,
    TrailCursor,
};
use crate::rows::ContactRow;
use crate::{Millis, Result, StorageError, StoredContact};

const COLUMNS: &str = "SELECT id, identity, verified, name, notes, tags, fields, version, \
    merged_into, created_at, updated_at FROM customers";

type Row = (
    Uuid,
    String,
    bool,
    Option<String>,
    String,
    String,
    String,
    i64,
    Option<Uuid>,
    i64,
    i64,
);

fn corrupt() -> StorageError {
    StorageError::Corrupt("stored customer tags cannot be read".into())
}

/// A row and its keys as a record.
async fn record(ex: &mut Tx<'_>, tenant: TenantId, r: Row) -> Result<DirectoryCustomer> {
    let keys: Vec<(String, String)> = sqlx::query_as(
        "SELECT kind, value FROM customer_keys WHERE tenant_id = $1 AND customer_id = $2 \
         ORDER BY position",
    )
    .bind(tenant.0)
    .bind(r.0)
    .fetch_all(&mut **ex)
    .await?;
    let of = |kind: KeyKind| {
        keys.iter()
            .filter(|(k, _)| k == kind.code())
            .map(|(_, v)| v.clone())
            .collect()
    };
    Ok(DirectoryCustomer {
        id: CustomerId(r.0),
        identity: r.1,
        verified: r.2,
        name: r.3,
        phones: of(KeyKind::Phone),
        emails: of(KeyKind::Email),
        notes: r.4,
        tags: serde_json::from_str(&r.5).map_err(|_| corrupt())?,
        fields: r.6,
        version: r.7,
        merged_into: r.8.map(CustomerId),
        created_at: r.9,
        updated_at: r.10,
    })
}

async fn load(tx: &mut Tx<'_>, tenant: TenantId, id: Uuid) -> Result<Option<DirectoryCustomer>> {
    let row: Option<Row> = sqlx::query_as(&format!("{COLUMNS} WHERE tenant_id = $1 AND id = $2"))
        .bind(tenant.0)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    match row {
        Some(r) => Ok(Some(record(tx, tenant, r).await?)),
        None => Ok(None),
    }
}

/// Replaces a customer's keys and terms with those of `w`. A key another customer holds
/// breaks the primary key: `Conflict`.
async fn write_keys(tx: &mut Tx<'_>, tenant: TenantId, id: Uuid, w: &CustomerWrite) -> Result<()> {
    for table in ["customer_keys", "customer_terms"] {
        sqlx::query(&format!(
            "DELETE FROM {table} WHERE tenant_id = $1 AND customer_id = $2"
        ))
        .bind(tenant.0)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    }
    let keys = (w.phones.iter().map(|p| (KeyKind::Phone, p)))
        .chain(w.emails.iter().map(|e| (KeyKind::Email, e)));
    for (position, (kind, value)) in keys.enumerate() {
        sqlx::query(
            "INSERT INTO customer_keys (tenant_id, kind, value, customer_id, position) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(tenant.0)
        .bind(kind.code())
        .bind(value)
        .bind(id)
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .execute(&mut **tx)
        .await
        .map_err(|e| match StorageError::from(e) {
            StorageError::Conflict(_) => StorageError::Conflict(format!("{}:{value}", kind.code())),
            other => other,
        })?;
    }
    for term in &w.terms {
        sqlx::query(
            "INSERT INTO customer_terms (tenant_id, term, customer_id) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(tenant.0)
        .bind(term)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Writes the record's columns (the first phone and e-mail kept in the chat's columns, which
/// the chat panel and the screen pop read).
async fn write_columns(
    tx: &mut Tx<'_>,
    tenant: TenantId,
    id: Uuid,
    w: &CustomerWrite,
    now: Millis,
) -> Result<()> {
    let tags = serde_json::to_string(&w.tags).map_err(|_| corrupt())?;
    let done = sqlx::query(
        "UPDATE customers SET name = $3, phone = COALESCE($4, phone), email = COALESCE($5, email), notes = $6, tags = $7, \
         fields = $8, identity = COALESCE($9, identity), \
         verified = CASE WHEN $9 IS NULL THEN verified ELSE TRUE END, \
         version = version + 1, indexed = TRUE, updated_at = $10 \
         WHERE tenant_id = $1 AND id = $2 AND merged_into IS NULL",
    )
    .bind(tenant.0)
    .bind(id)
    .bind(&w.name)
    .bind(w.phones.first())
    .bind(w.emails.first())
    .bind(&w.notes)
    .bind(tags)
    .bind(&w.fields)
    .bind(&w.host_identity)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    super::found(done.rows_affected())
}

/// Saves `w` over a customer at `version` and reads it back.
async fn save(
    tx: &mut Tx<'_>,
    tenant: TenantId,
    id: Uuid,
    version: i64,
    w: &CustomerWrite,
    now: Millis,
) -> Result<DirectoryCustomer> {
    let current = load(tx, tenant, id).await?;
    match current {
        Some(c) if c.merged_into.is_none() && c.version == version => {}
        Some(c) if c.merged_into.is_none() => return Err(StorageError::Stale),
        _ => return Err(StorageError::NotFound),
    }
    write_columns(tx, tenant, id, w, now).await?;
    write_keys(tx, tenant, id, w).await?;
    load(tx, tenant, id).await?.ok_or(StorageError::NotFound)
}

async fn insert_bare(tx: &mut Tx<'_>, tenant: TenantId, id: Uuid, now: Millis) -> Result<()> {
    sqlx::query(
        "INSERT INTO customers (tenant_id, id, identity, verified, created_at, updated_at) \
         VALUES ($1, $2, $3, FALSE, $4, $4)",
    )
    .bind(tenant.0)
    .bind(id)
    .bind(format!("customer:{id}"))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn by_key(
    tx: &mut Tx<'_>,
    tenant: TenantId,
    kind: KeyKind,
    value: &str,
) -> Result<Option<Uuid>> {
    let row: Option<(Uuid,)> = sqlx::query_as(
        "SELECT customer_id FROM customer_keys WHERE tenant_id = $1 AND kind = $2 AND value = $3",
    )
    .bind(tenant.0)
    .bind(kind.code())
    .bind(value)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|(id,)| id))
}

/// Exclusive upper bound of the terms starting with `prefix` (byte order on both databases).
fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

fn push_search(b: &mut sqlx::QueryBuilder<'_, Db>, tenant: TenantId, q: &CustomerQuery) {
    b.push(COLUMNS);
    b.push(" WHERE tenant_id = ");
    b.push_bind(tenant.0);
    b.push(" AND merged_into IS NULL");
    for t in &q.terms {
        b.push(" AND id IN (SELECT customer_id FROM customer_terms WHERE tenant_id = ");
        b.push_bind(tenant.0);
        if t.prefix {
            b.push(" AND term >= ");
            b.push_bind(t.text.clone());
            b.push(" AND term < ");
            b.push_bind(prefix_end(&t.text));
        } else {
            b.push(" AND term = ");
            b.push_bind(t.text.clone());
        }
        b.push(")");
    }
    b.push(" ORDER BY updated_at DESC, id DESC LIMIT ");
    b.push_bind(i64::from(q.limit));
    b.push(" OFFSET ");
    b.push_bind(i64::from(q.offset));
}

#[async_trait::async_trait]
impl CustomerStore for Store {
    async fn create_customer(
        &self,
        tenant: TenantId,
        id: CustomerId,
        w: &CustomerWrite,
        now: Millis,
    ) -> Result<DirectoryCustomer> {
        let mut tx = self.writer.begin().await?;
        insert_bare(&mut tx, tenant, id.0, now).await?;
        let saved = save(&mut tx, tenant, id.0, 1, w, now).await?;
        tx.commit().await?;
        Ok(saved)
    }

    async fn import_customers(
        &self,
        tenant: TenantId,
        customers: &[(CustomerId, CustomerWrite)],
        now: Millis,
    ) -> Result<usize> {
        let mut tx = self.writer.begin().await?;
        for (id, w) in customers {
            insert_bare(&mut tx, tenant, id.0, now).await?;
            write_columns(&mut tx, tenant, id.0, w, now).await?;
            write_keys(&mut tx, tenant, id.0, w).await?;
        }
        tx.commit().await?;
        Ok(customers.len())
    }

    async fn directory_customer(
        &self,
        tenant: TenantId,
        id: CustomerId,
    ) -> Result<Option<DirectoryCustomer>> {
        let mut tx = self.reader.begin().await?;
        load(&mut tx, tenant, id.0).await
    }

    async fn update_customer(
        &self,
        tenant: TenantId,
        id: CustomerId,
        version: i64,
        w: &CustomerWrite,
        now: Millis,
    ) -> Result<DirectoryCustomer> {
        let mut tx = self.writer.begin().await?;
        let saved = save(&mut tx, tenant, id.0, version, w, now).await?;
        tx.commit().await?;
        Ok(saved)
    }

    async fn customer_by_key(
        &self,
        tenant: TenantId,
        kind: KeyKind,
        value: &str,
    ) -> Result<Option<DirectoryCustomer>> {
        let mut tx = self.reader.begin().await?;
        match by_key(&mut tx, tenant, kind, value).await? {
            Some(id) => load(&mut tx, tenant, id).await,
            None => Ok(None),
        }
    }

    async fn customer_for_phone(
        &self,
        tenant: TenantId,
        phone: &str,
        terms: &[String],
        now: Millis,
    ) -> Result<CustomerId> {
        let mut tx = self.writer.begin().await?;
        if let Some(id) = by_key(&mut tx, tenant, KeyKind::Phone, phone).await? {
            return Ok(CustomerId(id));
        }
        let id = CustomerId::new();
        insert_bare(&mut tx, tenant, id.0, now).await?;
        let w = CustomerWrite {
            phones: vec![phone.to_owned()],
            fields: "{}".into(),
            terms: terms.to_vec(),
            ..CustomerWrite::default()
        };
        save(&mut tx, tenant, id.0, 1, &w, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn unindexed_customers(&self, limit: u32) -> Result<Vec<(TenantId, CustomerId)>> {
        let rows: Vec<(Uuid, Uuid)> = sqlx::query_as(
            "SELECT tenant_id, id FROM customers WHERE NOT indexed ORDER BY created_at LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(t, id)| (TenantId(t), CustomerId(id)))
            .collect())
    }

    async fn search_customers(
        &self,
        tenant: TenantId,
        q: &CustomerQuery,
    ) -> Result<Vec<DirectoryCustomer>> {
        let mut b = sqlx::QueryBuilder::<Db>::new("");
        push_search(&mut b, tenant, q);
        let mut tx = self.reader.begin().await?;
        let rows: Vec<Row> = b.build_query_as().fetch_all(&mut *tx).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(record(&mut tx, tenant, r).await?);
        }
        Ok(out)
    }

    async fn merge_customers(
        &self,
        tenant: TenantId,
        into: CustomerId,
        from: CustomerId,
        version: i64,
        w: &CustomerWrite,
        now: Millis,
    ) -> Result<DirectoryCustomer> {
        if into == from {
            return Err(StorageError::Conflict("merge into itself".into()));
        }
        let mut tx = self.writer.begin().await?;
        let old_identity = merge_away(&mut tx, tenant, into, from, w, now).await?;
        let saved = save(&mut tx, tenant, into.0, version, w, now).await?;
        if let Some(identity) = old_identity {
            set_identity(&mut tx, tenant, from.0, &identity).await?;
        }
        tx.commit().await?;
        Ok(saved)
    }

    async fn merged_customers(&self, tenant: TenantId, id: CustomerId) -> Result<Vec<CustomerId>> {
        let rows: Vec<(Uuid,)> =
            sqlx::query_as("SELECT id FROM customers WHERE tenant_id = $1 AND merged_into = $2")
                .bind(tenant.0)
                .bind(id.0)
                .fetch_all(&self.reader)
                .await?;
        Ok(rows.into_iter().map(|(id,)| CustomerId(id)).collect())
    }

    async fn customer_field_defs(&self, tenant: TenantId) -> Result<Option<String>> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT definition FROM customer_field_defs WHERE tenant_id = $1")
                .bind(tenant.0)
                .fetch_optional(&self.reader)
                .await?;
        Ok(row.map(|(d,)| d))
    }

    async fn set_customer_field_defs(&self, tenant: TenantId, definition: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO customer_field_defs (tenant_id, definition) VALUES ($1, $2) \
             ON CONFLICT (tenant_id) DO UPDATE SET definition = excluded.definition",
        )
        .bind(tenant.0)
        .bind(definition)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn trail_contacts(
        &self,
        tenant: TenantId,
        refs: &[String],
        before: TrailCursor,
        limit: u32,
    ) -> Result<Vec<StoredContact>> {
        if refs.is_empty() {
            return Ok(Vec::new());
        }
        let mut b = sqlx::QueryBuilder::<Db>::new(format!("{CONTACT_COLUMNS} WHERE tenant_id = "));
        b.push_bind(tenant.0);
        push_in(&mut b, " AND customer IN (", refs);
        push_before(&mut b, before);
        b.push(" ORDER BY created_at DESC, id DESC LIMIT ");
        b.push_bind(i64::from(limit));
        let rows: Vec<ContactRow> = b.build_query_as().fetch_all(&self.reader).await?;
        rows.into_iter().map(StoredContact::try_from).collect()
    }

    async fn trail_tickets(
        &self,
        tenant: TenantId,
        phones: &[String],
        refs: &[String],
        before: TrailCursor,
        limit: u32,
    ) -> Result<Vec<CustomerTicket>> {
        if refs.is_empty() {
            return Ok(Vec::new());
        }
        let mut b = sqlx::QueryBuilder::<Db>::new(
            "SELECT id, number, title, status, created_at FROM tickets WHERE tenant_id = ",
        );
        b.push_bind(tenant.0);
        b.push(" AND (");
        if phones.is_empty() {
            b.push("FALSE");
        } else {
            push_in(&mut b, "phone IN (", phones);
        }
        // Tickets linked to one of the customer's contacts.
        b.push(
            " OR id IN (SELECT l.ticket_id FROM ticket_contacts l JOIN contacts c \
             ON c.tenant_id = l.tenant_id AND c.id = l.contact_id WHERE c.tenant_id = ",
        );
        b.push_bind(tenant.0);
        push_in(&mut b, " AND c.customer IN (", refs);
        b.push("))");
        push_before(&mut b, before);
        b.push(" ORDER BY created_at DESC, id DESC LIMIT ");
        b.push_bind(i64::from(limit));
        let rows: Vec<(Uuid, i64, String, String, i64)> =
            b.build_query_as().fetch_all(&self.reader).await?;
        Ok(rows
            .into_iter()
            .map(|(id, number, title, status, created_at)| CustomerTicket {
                id: TicketId(id),
                number,
                title,
                status,
                created_at,
            })
            .collect())
    }

    async fn agent_contacts(
        &self,
        tenant: TenantId,
        agent: UserId,
        open: bool,
        before: TrailCursor,
        limit: u32,
    ) -> Result<Vec<StoredContact>> {
        let mut b = sqlx::QueryBuilder::<Db>::new(format!("{CONTACT_COLUMNS} WHERE tenant_id = "));
        b.push_bind(tenant.0);
        b.push(" AND agent_id = ");
        b.push_bind(agent.0);
        b.push(match open {
            true => " AND state IN ('connected', 'wrap_up')",
            false => " AND state = 'closed'",
        });
        push_before(&mut b, before);
        b.push(" ORDER BY created_at DESC, id DESC LIMIT ");
        b.push_bind(i64::from(limit));
        let rows: Vec<ContactRow> = b.build_query_as().fetch_all(&self.reader).await?;
        rows.into_iter().map(StoredContact::try_from).collect()
    }
}

/// Rows after the cursor in `ORDER BY created_at DESC, id DESC`.
fn push_before(b: &mut sqlx::QueryBuilder<'_, Db>, before: TrailCursor) {
    if let Some((at, id)) = before {
        b.push(" AND (created_at < ");
        b.push_bind(at);
        b.push(" OR (created_at = ");
        b.push_bind(at);
        b.push(" AND id < ");
        b.push_bind(id);
        b.push("))");
    }
}

/// Marks `from` (and what was merged into it) merged into `into` and frees its keys and
/// terms; a verified host identity moves to the survivor when the write asks for it.
async fn merge_away(
    tx: &mut Tx<'_>,
    tenant: TenantId,
    into: CustomerId,
    from: CustomerId,
    w: &CustomerWrite,
    now: Millis,
) -> Result<Option<String>> {
    let (Some(f), Some(i)) = (
        load(tx, tenant, from.0).await?,
        load(tx, tenant, into.0).await?,
    ) else {
        return Err(StorageError::NotFound);
    };
    if f.merged_into.is_some() || i.merged_into.is_some() {
        return Err(StorageError::NotFound);
    }
    for table in ["customer_keys", "customer_terms"] {
        sqlx::query(&format!(
            "DELETE FROM {table} WHERE tenant_id = $1 AND customer_id = $2"
        ))
        .bind(tenant.0)
        .bind(from.0)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query(
        "UPDATE customers SET merged_into = $3, version = version + 1, updated_at = $4 \
         WHERE tenant_id = $1 AND (id = $2 OR merged_into = $2)",
    )
    .bind(tenant.0)
    .bind(from.0)
    .bind(into.0)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    // The identity column is unique: when the survivor takes the merged record's verified
    // identity, the merged record holds a placeholder until it takes the survivor's old one.
    if w.host_identity.as_deref() != Some(f.identity.as_str()) {
        return Ok(None);
    }
    set_identity(tx, tenant, from.0, &format!("merged:{}", from.0)).await?;
    Ok(Some(i.identity))
}

async fn set_identity(tx: &mut Tx<'_>, tenant: TenantId, id: Uuid, identity: &str) -> Result<()> {
    sqlx::query("UPDATE customers SET identity = $3 WHERE tenant_id = $1 AND id = $2")
        .bind(tenant.0)
        .bind(id)
        .bind(identity)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
