//! What agents draw on while serving: canned replies (the team's and their own), documents,
//! and files sent in conversations.

use switchboard_engine::{CannedReplyId, DocumentId, FileId, TenantId, UserId};

use super::{delete_owned, Store};
use crate::rows::{CannedReplyRow, DocumentRow, FileRow};
use crate::{CannedReply, Document, Millis, Result, StoredFile};

pub(super) async fn canned_replies(
    store: &Store,
    tenant: TenantId,
    user: UserId,
) -> Result<Vec<CannedReply>> {
    let rows: Vec<CannedReplyRow> = sqlx::query_as(
        "SELECT id, owner_id, title, body FROM canned_replies \
         WHERE tenant_id = $1 AND (owner_id IS NULL OR owner_id = $2) ORDER BY title",
    )
    .bind(tenant.0)
    .bind(user.0)
    .fetch_all(&store.reader)
    .await?;
    Ok(rows.into_iter().map(CannedReply::from).collect())
}

pub(super) async fn create_canned_reply(
    store: &Store,
    tenant: TenantId,
    r: &CannedReply,
    now: Millis,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO canned_replies (tenant_id, id, owner_id, title, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(tenant.0)
    .bind(r.id.0)
    .bind(r.owner.map(|o| o.0))
    .bind(&r.title)
    .bind(&r.text)
    .bind(now)
    .execute(&store.writer)
    .await?;
    Ok(())
}

pub(super) async fn delete_canned_reply(
    store: &Store,
    tenant: TenantId,
    id: CannedReplyId,
) -> Result<()> {
    delete_owned(store, "canned_replies", tenant, id.0).await
}

pub(super) async fn documents(store: &Store, tenant: TenantId) -> Result<Vec<Document>> {
    let rows: Vec<DocumentRow> = sqlx::query_as(
        "SELECT id, title, url, description FROM documents WHERE tenant_id = $1 ORDER BY title",
    )
    .bind(tenant.0)
    .fetch_all(&store.reader)
    .await?;
    Ok(rows.into_iter().map(Document::from).collect())
}

pub(super) async fn create_document(
    store: &Store,
    tenant: TenantId,
    d: &Document,
    now: Millis,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO documents (tenant_id, id, title, url, description, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(tenant.0)
    .bind(d.id.0)
    .bind(&d.title)
    .bind(&d.url)
    .bind(&d.description)
    .bind(now)
    .execute(&store.writer)
    .await?;
    Ok(())
}

pub(super) async fn delete_document(store: &Store, tenant: TenantId, id: DocumentId) -> Result<()> {
    delete_owned(store, "documents", tenant, id.0).await
}

pub(super) async fn store_file(store: &Store, tenant: TenantId, f: &StoredFile) -> Result<()> {
    sqlx::query(
        "INSERT INTO files (tenant_id, id, contact_id, name, content_type, size, access_key, data, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(tenant.0)
    .bind(f.id.0)
    .bind(f.contact.0)
    .bind(&f.name)
    .bind(&f.content_type)
    .bind(f.size)
    .bind(&f.access_key)
    .bind(&f.data)
    .bind(f.created_at)
    .execute(&store.writer)
    .await?;
    Ok(())
}

pub(super) async fn file(
    store: &Store,
    tenant: TenantId,
    id: FileId,
) -> Result<Option<StoredFile>> {
    let row: Option<FileRow> = sqlx::query_as(
        "SELECT id, contact_id, name, content_type, size, access_key, data, created_at FROM files \
         WHERE tenant_id = $1 AND id = $2",
    )
    .bind(tenant.0)
    .bind(id.0)
    .fetch_optional(&store.reader)
    .await?;
    Ok(row.map(StoredFile::from))
}
