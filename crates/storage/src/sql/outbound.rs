//! Outbound configuration: number groups, the tenant's destination rules and daily limit,
//! an agent's caller numbers and their count of outbound calls.

use std::collections::HashMap;

use switchboard_engine::{
    HotlineNumberId, NumberGroupId, SipTrunkId, SkillQueueId, TenantId, UserId,
};
use uuid::Uuid;

use super::{delete_owned, Store, Tx};
use crate::outbound::{
    CallerNumber, NumberGroup, OutboundRule, OutboundStore, StoredOutboundPolicy,
};
use crate::{Millis, Result, StorageError};

fn corrupt(what: &str) -> StorageError {
    StorageError::Corrupt(format!("stored {what} cannot be read"))
}

/// `NotFound` unless `table` has a row `id` of the tenant.
async fn owned(tx: &mut Tx<'_>, table: &'static str, tenant: TenantId, id: Uuid) -> Result<()> {
    let row: Option<(Uuid,)> = sqlx::query_as(&format!(
        "SELECT id FROM {table} WHERE tenant_id = $1 AND id = $2"
    ))
    .bind(tenant.0)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|_| ()).ok_or(StorageError::NotFound)
}

/// Each id once, in the order first given.
fn once<T: PartialEq + Copy>(ids: &[T]) -> Vec<T> {
    let mut seen = Vec::with_capacity(ids.len());
    for id in ids {
        if !seen.contains(id) {
            seen.push(*id);
        }
    }
    seen
}

async fn replace_members(tx: &mut Tx<'_>, tenant: TenantId, g: &NumberGroup) -> Result<()> {
    for table in ["number_group_numbers", "number_group_queues"] {
        sqlx::query(&format!(
            "DELETE FROM {table} WHERE tenant_id = $1 AND group_id = $2"
        ))
        .bind(tenant.0)
        .bind(g.id.0)
        .execute(&mut **tx)
        .await?;
    }
    for n in once(&g.numbers) {
        sqlx::query(
            "INSERT INTO number_group_numbers (tenant_id, group_id, number_id) VALUES ($1, $2, $3)",
        )
        .bind(tenant.0)
        .bind(g.id.0)
        .bind(n.0)
        .execute(&mut **tx)
        .await?;
    }
    for q in once(&g.queues) {
        sqlx::query(
            "INSERT INTO number_group_queues (tenant_id, group_id, queue_id) VALUES ($1, $2, $3)",
        )
        .bind(tenant.0)
        .bind(g.id.0)
        .bind(q.0)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

fn digits(n: i64) -> Result<u8> {
    u8::try_from(n).map_err(|_| corrupt("outbound rule"))
}

#[async_trait::async_trait]
impl OutboundStore for Store {
    async fn number_groups(&self, tenant: TenantId) -> Result<Vec<NumberGroup>> {
        let groups: Vec<(Uuid, String, Option<Uuid>)> = sqlx::query_as(
            "SELECT id, name, default_number_id FROM number_groups WHERE tenant_id = $1 ORDER BY name",
        )
        .bind(tenant.0)
        .fetch_all(&self.reader)
        .await?;
        let numbers: Vec<(Uuid, Uuid)> = sqlx::query_as(
            "SELECT gn.group_id, gn.number_id FROM number_group_numbers gn \
             JOIN hotline_numbers n ON n.tenant_id = gn.tenant_id AND n.id = gn.number_id \
             WHERE gn.tenant_id = $1 ORDER BY n.number",
        )
        .bind(tenant.0)
        .fetch_all(&self.reader)
        .await?;
        let queues: Vec<(Uuid, Uuid)> = sqlx::query_as(
            "SELECT gq.group_id, gq.queue_id FROM number_group_queues gq \
             JOIN skill_queues q ON q.tenant_id = gq.tenant_id AND q.id = gq.queue_id \
             WHERE gq.tenant_id = $1 ORDER BY q.name",
        )
        .bind(tenant.0)
        .fetch_all(&self.reader)
        .await?;
        Ok(groups
            .into_iter()
            .map(|(id, name, default)| NumberGroup {
                id: NumberGroupId(id),
                name,
                numbers: numbers
                    .iter()
                    .filter(|(g, _)| *g == id)
                    .map(|(_, n)| HotlineNumberId(*n))
                    .collect(),
                queues: queues
                    .iter()
                    .filter(|(g, _)| *g == id)
                    .map(|(_, q)| SkillQueueId(*q))
                    .collect(),
                default_number: default.map(HotlineNumberId),
            })
            .collect())
    }

    async fn save_number_group(
        &self,
        tenant: TenantId,
        g: &NumberGroup,
        now: Millis,
    ) -> Result<()> {
        if g.default_number.is_some_and(|d| !g.numbers.contains(&d)) {
            return Err(StorageError::Reference(
                "the default number is not one of the group's numbers".into(),
            ));
        }
        let mut tx = self.writer.begin().await?;
        let other: Option<(Uuid,)> =
            sqlx::query_as("SELECT tenant_id FROM number_groups WHERE id = $1")
                .bind(g.id.0)
                .fetch_optional(&mut *tx)
                .await?;
        if other.is_some_and(|(owner,)| owner != tenant.0) {
            return Err(StorageError::NotFound);
        }
        // The default's reference is single-column: only this check keeps it in the tenant.
        for n in &g.numbers {
            owned(&mut tx, "hotline_numbers", tenant, n.0).await?;
        }
        for q in &g.queues {
            owned(&mut tx, "skill_queues", tenant, q.0).await?;
        }
        sqlx::query(
            "INSERT INTO number_groups (tenant_id, id, name, default_number_id, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET name = excluded.name, \
             default_number_id = excluded.default_number_id",
        )
        .bind(tenant.0)
        .bind(g.id.0)
        .bind(&g.name)
        .bind(g.default_number.map(|d| d.0))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        replace_members(&mut tx, tenant, g).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_number_group(&self, tenant: TenantId, id: NumberGroupId) -> Result<()> {
        delete_owned(self, "number_groups", tenant, id.0).await
    }

    async fn outbound_policy(&self, tenant: TenantId) -> Result<Option<StoredOutboundPolicy>> {
        let settings: Option<(Option<i64>,)> =
            sqlx::query_as("SELECT daily_limit FROM outbound_settings WHERE tenant_id = $1")
                .bind(tenant.0)
                .fetch_optional(&self.reader)
                .await?;
        let Some((limit,)) = settings else {
            return Ok(None);
        };
        let rows: Vec<(String, i64, i64, bool, String)> = sqlx::query_as(
            "SELECT prefix, min_digits, max_digits, allow, label FROM outbound_rules \
             WHERE tenant_id = $1 ORDER BY position",
        )
        .bind(tenant.0)
        .fetch_all(&self.reader)
        .await?;
        let rules = rows
            .into_iter()
            .map(|(prefix, min, max, allow, label)| {
                Ok(OutboundRule {
                    prefix,
                    min_digits: digits(min)?,
                    max_digits: digits(max)?,
                    allow,
                    label,
                })
            })
            .collect::<Result<_>>()?;
        let daily_limit = limit
            .map(u32::try_from)
            .transpose()
            .map_err(|_| corrupt("daily limit"))?;
        Ok(Some(StoredOutboundPolicy { rules, daily_limit }))
    }

    async fn set_outbound_policy(
        &self,
        tenant: TenantId,
        rules: &[OutboundRule],
        daily_limit: Option<u32>,
    ) -> Result<()> {
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "INSERT INTO outbound_settings (tenant_id, daily_limit) VALUES ($1, $2) \
             ON CONFLICT (tenant_id) DO UPDATE SET daily_limit = excluded.daily_limit",
        )
        .bind(tenant.0)
        .bind(daily_limit.map(i64::from))
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM outbound_rules WHERE tenant_id = $1")
            .bind(tenant.0)
            .execute(&mut *tx)
            .await?;
        for (position, r) in (0_i64..).zip(rules) {
            sqlx::query(
                "INSERT INTO outbound_rules (tenant_id, position, prefix, min_digits, max_digits, allow, label) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(tenant.0)
            .bind(position)
            .bind(&r.prefix)
            .bind(i64::from(r.min_digits))
            .bind(i64::from(r.max_digits))
            .bind(r.allow)
            .bind(&r.label)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn caller_numbers(&self, tenant: TenantId, agent: UserId) -> Result<Vec<CallerNumber>> {
        // One row per (number, group) reaching the agent; a disabled trunk carries no calls.
        type Row = (Uuid, String, Uuid, String, Option<Uuid>);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT DISTINCT n.id, n.number, n.outbound_trunk_id, g.name, g.default_number_id \
             FROM queue_agents qa \
             JOIN number_group_queues gq ON gq.tenant_id = qa.tenant_id AND gq.queue_id = qa.queue_id \
             JOIN number_groups g ON g.tenant_id = gq.tenant_id AND g.id = gq.group_id \
             JOIN number_group_numbers gn ON gn.tenant_id = g.tenant_id AND gn.group_id = g.id \
             JOIN hotline_numbers n ON n.tenant_id = gn.tenant_id AND n.id = gn.number_id \
             JOIN sip_trunks t ON t.tenant_id = n.tenant_id AND t.id = n.outbound_trunk_id \
             WHERE qa.tenant_id = $1 AND qa.user_id = $2 AND n.outbound AND t.enabled \
             ORDER BY n.number, g.name",
        )
        .bind(tenant.0)
        .bind(agent.0)
        .fetch_all(&self.reader)
        .await?;
        let mut out: Vec<CallerNumber> = Vec::new();
        let mut at: HashMap<Uuid, usize> = HashMap::new();
        for (id, number, trunk, group, default) in rows {
            let is_default = default == Some(id);
            match at.get(&id) {
                // Rows come by group name: the first names the number's group.
                Some(&i) => out[i].default |= is_default,
                None => {
                    at.insert(id, out.len());
                    out.push(CallerNumber {
                        number_id: HotlineNumberId(id),
                        number,
                        trunk: SipTrunkId(trunk),
                        group,
                        default: is_default,
                    });
                }
            }
        }
        out.sort_by(|a, b| b.default.cmp(&a.default).then(a.number.cmp(&b.number)));
        Ok(out)
    }

    async fn outbound_calls_since(
        &self,
        tenant: TenantId,
        agent: UserId,
        since: Millis,
    ) -> Result<u64> {
        let (count,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM call_records WHERE tenant_id = $1 AND agent_id = $2 \
             AND direction = 'outbound' AND started_at >= $3",
        )
        .bind(tenant.0)
        .bind(agent.0)
        .bind(since)
        .fetch_one(&self.reader)
        .await?;
        u64::try_from(count).map_err(|_| corrupt("call count"))
    }
}
