//! Ticket configuration: categories (a tree), types (versioned; their facet fields decide
//! which option values are search facets), templates and views.

use switchboard_engine::{
    TenantId, TicketCategoryId, TicketTemplateId, TicketTypeId, TicketViewId, UserId,
};
use uuid::Uuid;

use super::{facet_fields, Store};
use crate::tickets::facets::FacetLock;
use crate::tickets::rows::{TicketTypeRow, TICKET_TYPE_COLUMNS};
use crate::tickets::{TicketCategory, TicketConfigStore, TicketTemplate, TicketType, TicketView};
use crate::{Result, StorageError};

#[async_trait::async_trait]
impl TicketConfigStore for Store {
    async fn ticket_categories(&self, tenant: TenantId) -> Result<Vec<TicketCategory>> {
        let rows: Vec<(Uuid, Option<Uuid>, String, i64)> = sqlx::query_as(
            "SELECT id, parent_id, name, position FROM ticket_categories \
             WHERE tenant_id = $1 ORDER BY position, name",
        )
        .bind(tenant.0)
        .fetch_all(&self.reader)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, parent, name, position)| TicketCategory {
                id: TicketCategoryId(id),
                parent: parent.map(TicketCategoryId),
                name,
                position,
            })
            .collect())
    }

    async fn save_ticket_category(&self, tenant: TenantId, c: &TicketCategory) -> Result<()> {
        let mut tx = self.writer.begin().await?;
        // A category may not become its own ancestor.
        let mut up = c.parent;
        while let Some(p) = up {
            if p == c.id {
                return Err(StorageError::Reference(
                    "a category cannot be inside itself".into(),
                ));
            }
            up = sqlx::query_scalar::<_, Option<Uuid>>(
                "SELECT parent_id FROM ticket_categories WHERE tenant_id = $1 AND id = $2",
            )
            .bind(tenant.0)
            .bind(p.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StorageError::Reference("parent_id".into()))?
            .map(TicketCategoryId);
        }
        sqlx::query(
            "INSERT INTO ticket_categories (tenant_id, id, parent_id, name, position, created_at) \
             VALUES ($1, $2, $3, $4, $5, 0) \
             ON CONFLICT (id) DO UPDATE SET parent_id = $3, name = $4, position = $5 \
             WHERE ticket_categories.tenant_id = $1",
        )
        .bind(tenant.0)
        .bind(c.id.0)
        .bind(c.parent.map(|p| p.0))
        .bind(&c.name)
        .bind(c.position)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_ticket_category(&self, tenant: TenantId, id: TicketCategoryId) -> Result<()> {
        let used: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM ticket_categories WHERE tenant_id = $1 AND parent_id = $2) \
                  + (SELECT COUNT(*) FROM (SELECT 1 FROM tickets WHERE tenant_id = $1 AND category_id = $2 LIMIT 1) u)",
        )
        .bind(tenant.0)
        .bind(id.0)
        .fetch_one(&self.reader)
        .await?;
        if used > 0 {
            return Err(StorageError::Reference(
                "the category has sub-categories or tickets".into(),
            ));
        }
        let done = sqlx::query("DELETE FROM ticket_categories WHERE tenant_id = $1 AND id = $2")
            .bind(tenant.0)
            .bind(id.0)
            .execute(&self.writer)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StorageError::NotFound);
        }
        Ok(())
    }

    async fn ticket_types(&self, tenant: TenantId) -> Result<Vec<TicketType>> {
        let rows: Vec<TicketTypeRow> = sqlx::query_as(&format!(
            "{TICKET_TYPE_COLUMNS} WHERE tenant_id = $1 ORDER BY name"
        ))
        .bind(tenant.0)
        .fetch_all(&self.reader)
        .await?;
        Ok(rows.into_iter().map(TicketType::from).collect())
    }

    async fn ticket_type(&self, tenant: TenantId, id: TicketTypeId) -> Result<Option<TicketType>> {
        let row: Option<TicketTypeRow> = sqlx::query_as(&format!(
            "{TICKET_TYPE_COLUMNS} WHERE tenant_id = $1 AND id = $2"
        ))
        .bind(tenant.0)
        .bind(id.0)
        .fetch_optional(&self.reader)
        .await?;
        Ok(row.map(TicketType::from))
    }

    async fn create_ticket_type(&self, tenant: TenantId, t: &TicketType) -> Result<()> {
        let mut tx = self.writer.begin().await?;
        let before = facet_fields::hold(&mut tx, tenant, FacetLock::Exclusive).await?;
        sqlx::query(
            "INSERT INTO ticket_types (tenant_id, id, name, description, active, version, definition, \
             facet_fields, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $8)",
        )
        .bind(tenant.0)
        .bind(t.id.0)
        .bind(&t.name)
        .bind(&t.description)
        .bind(t.active)
        .bind(&t.definition)
        .bind(t.facet_fields.join(" "))
        .bind(t.created_at)
        .execute(&mut *tx)
        .await?;
        facet_fields::follow(&mut tx, tenant, &before).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn update_ticket_type(&self, tenant: TenantId, t: &TicketType) -> Result<i64> {
        let mut tx = self.writer.begin().await?;
        let before = facet_fields::hold(&mut tx, tenant, FacetLock::Exclusive).await?;
        let done = sqlx::query(
            "UPDATE ticket_types SET name = $4, description = $5, active = $6, definition = $7, \
             facet_fields = $8, updated_at = $9, version = version + 1 \
             WHERE tenant_id = $1 AND id = $2 AND version = $3",
        )
        .bind(tenant.0)
        .bind(t.id.0)
        .bind(t.version)
        .bind(&t.name)
        .bind(&t.description)
        .bind(t.active)
        .bind(&t.definition)
        .bind(t.facet_fields.join(" "))
        .bind(t.updated_at)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 1 {
            facet_fields::follow(&mut tx, tenant, &before).await?;
            tx.commit().await?;
            return Ok(t.version + 1);
        }
        drop(tx);
        match self.ticket_type(tenant, t.id).await? {
            Some(_) => Err(StorageError::Stale),
            None => Err(StorageError::NotFound),
        }
    }

    async fn delete_ticket_type(&self, tenant: TenantId, id: TicketTypeId) -> Result<()> {
        let done = sqlx::query("DELETE FROM ticket_types WHERE tenant_id = $1 AND id = $2")
            .bind(tenant.0)
            .bind(id.0)
            .execute(&self.writer)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StorageError::NotFound);
        }
        Ok(())
    }

    async fn ticket_templates(
        &self,
        tenant: TenantId,
        type_id: Option<TicketTypeId>,
    ) -> Result<Vec<TicketTemplate>> {
        let rows: Vec<(Uuid, Uuid, String, String)> = sqlx::query_as(
            "SELECT id, type_id, name, layout FROM ticket_templates \
             WHERE tenant_id = $1 AND ($2 IS NULL OR type_id = $2) ORDER BY name",
        )
        .bind(tenant.0)
        .bind(type_id.map(|t| t.0))
        .fetch_all(&self.reader)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, type_id, name, layout)| TicketTemplate {
                id: TicketTemplateId(id),
                type_id: TicketTypeId(type_id),
                name,
                layout,
            })
            .collect())
    }

    async fn save_ticket_template(&self, tenant: TenantId, t: &TicketTemplate) -> Result<()> {
        sqlx::query(
            "INSERT INTO ticket_templates (tenant_id, id, type_id, name, layout, created_at) \
             VALUES ($1, $2, $3, $4, $5, 0) \
             ON CONFLICT (id) DO UPDATE SET name = $4, layout = $5 \
             WHERE ticket_templates.tenant_id = $1 AND ticket_templates.type_id = $3",
        )
        .bind(tenant.0)
        .bind(t.id.0)
        .bind(t.type_id.0)
        .bind(&t.name)
        .bind(&t.layout)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn delete_ticket_template(&self, tenant: TenantId, id: TicketTemplateId) -> Result<()> {
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "UPDATE tickets SET template_id = NULL WHERE tenant_id = $1 AND template_id = $2",
        )
        .bind(tenant.0)
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        let done = sqlx::query("DELETE FROM ticket_templates WHERE tenant_id = $1 AND id = $2")
            .bind(tenant.0)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StorageError::NotFound);
        }
        tx.commit().await?;
        Ok(())
    }

    async fn ticket_views(&self, tenant: TenantId, user: UserId) -> Result<Vec<TicketView>> {
        let rows: Vec<(Uuid, Uuid, String, bool, String)> = sqlx::query_as(
            "SELECT id, owner_id, name, shared, definition FROM ticket_views \
             WHERE tenant_id = $1 AND (owner_id = $2 OR shared) ORDER BY name",
        )
        .bind(tenant.0)
        .bind(user.0)
        .fetch_all(&self.reader)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, owner, name, shared, definition)| TicketView {
                id: TicketViewId(id),
                owner: UserId(owner),
                name,
                shared,
                definition,
            })
            .collect())
    }

    async fn save_ticket_view(&self, tenant: TenantId, v: &TicketView) -> Result<()> {
        sqlx::query(
            "INSERT INTO ticket_views (tenant_id, id, owner_id, name, shared, definition, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 0) \
             ON CONFLICT (id) DO UPDATE SET name = $4, shared = $5, definition = $6 \
             WHERE ticket_views.tenant_id = $1",
        )
        .bind(tenant.0)
        .bind(v.id.0)
        .bind(v.owner.0)
        .bind(&v.name)
        .bind(v.shared)
        .bind(&v.definition)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn delete_ticket_view(&self, tenant: TenantId, id: TicketViewId) -> Result<()> {
        let done = sqlx::query("DELETE FROM ticket_views WHERE tenant_id = $1 AND id = $2")
            .bind(tenant.0)
            .bind(id.0)
            .execute(&self.writer)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StorageError::NotFound);
        }
        Ok(())
    }
}
