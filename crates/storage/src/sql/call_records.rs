//! Call records and their legs (V13).

use sqlx::Row;
use switchboard_engine::{ContactId, SkillQueueId, TenantId, UserId};
use uuid::Uuid;

use super::{Db, Store, Tx};
use crate::call_records::{
    CallDirection, CallHandoff, CallLeg, CallParty, CallQuery, CallRecord, CallRecordStore,
    CallReleasedBy, CallSurvey, HandoffKind, LegQuality,
};
use crate::{Result, StorageError};

fn corrupt(what: &str) -> StorageError {
    StorageError::Corrupt(format!("stored call {what} cannot be read"))
}

const RECORD_COLUMNS: &str = "id, caller, dialled, direction, started_at, answered_at, ended_at, \
     queue_id, queued_at, wait_ms, agent_id, released_by, end_status, contact_id, recording, recording_ms, ivr_path, survey, survey_score";

const LEG_COLUMNS: &str = "id, call_id, party, agent_id, codec, ring_at, answered_at, ended_at, \
     packets, lost, jitter_ms, mos_x100";

type DbRow = <Db as sqlx::Database>::Row;

fn record_of(r: &DbRow) -> Result<CallRecord> {
    let direction: String = r.try_get("direction")?;
    let released_by: Option<String> = r.try_get("released_by")?;
    let end_status: Option<i64> = r.try_get("end_status")?;
    Ok(CallRecord {
        id: r.try_get("id")?,
        caller: r.try_get("caller")?,
        dialled: r.try_get("dialled")?,
        direction: CallDirection::parse(&direction).ok_or_else(|| corrupt("direction"))?,
        started_at: r.try_get("started_at")?,
        answered_at: r.try_get("answered_at")?,
        ended_at: r.try_get("ended_at")?,
        queue: r.try_get::<Option<Uuid>, _>("queue_id")?.map(SkillQueueId),
        queued_at: r.try_get("queued_at")?,
        wait_ms: r.try_get("wait_ms")?,
        agent: r.try_get::<Option<Uuid>, _>("agent_id")?.map(UserId),
        released_by: released_by
            .map(|c| CallReleasedBy::parse(&c).ok_or_else(|| corrupt("release")))
            .transpose()?,
        end_status: end_status
            .map(|s| u16::try_from(s).map_err(|_| corrupt("status")))
            .transpose()?,
        contact: r.try_get::<Option<Uuid>, _>("contact_id")?.map(ContactId),
        recording: r.try_get("recording")?,
        recording_ms: r.try_get("recording_ms")?,
        ivr_path: r.try_get("ivr_path")?,
        variables: Vec::new(),
        survey: r
            .try_get::<Option<String>, _>("survey")?
            .map(|c| CallSurvey::parse(&c).ok_or_else(|| corrupt("survey")))
            .transpose()?,
        survey_score: r
            .try_get::<Option<i64>, _>("survey_score")?
            .map(|s| u8::try_from(s).map_err(|_| corrupt("survey score")))
            .transpose()?,
        handoffs: Vec::new(),
    })
}

fn leg_of(r: &DbRow) -> Result<CallLeg> {
    let party: String = r.try_get("party")?;
    let packets: Option<i64> = r.try_get("packets")?;
    let quality = match packets {
        Some(packets) => Some(LegQuality {
            packets,
            lost: r.try_get::<Option<i64>, _>("lost")?.unwrap_or(0),
            jitter_ms: r.try_get::<Option<f64>, _>("jitter_ms")?.unwrap_or(0.0),
            mos_x100: r.try_get("mos_x100")?,
        }),
        None => None,
    };
    Ok(CallLeg {
        id: r.try_get("id")?,
        call: r.try_get("call_id")?,
        party: CallParty::parse(&party).ok_or_else(|| corrupt("party"))?,
        agent: r.try_get::<Option<Uuid>, _>("agent_id")?.map(UserId),
        codec: r.try_get("codec")?,
        ring_at: r.try_get("ring_at")?,
        answered_at: r.try_get("answered_at")?,
        ended_at: r.try_get("ended_at")?,
        quality,
    })
}

/// Creates or replaces a call's row; `NotFound` when the id is another tenant's.
async fn upsert_record(tx: &mut Tx<'_>, tenant: TenantId, c: &CallRecord) -> Result<()> {
    let done = sqlx::query(
        "INSERT INTO call_records (tenant_id, id, caller, dialled, direction, started_at, answered_at, \
         ended_at, queue_id, queued_at, wait_ms, agent_id, released_by, end_status, contact_id, recording, recording_ms, \
         ivr_path, survey, survey_score) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) \
         ON CONFLICT (id) DO UPDATE SET caller = excluded.caller, dialled = excluded.dialled, \
         direction = excluded.direction, started_at = excluded.started_at, answered_at = excluded.answered_at, \
         ended_at = excluded.ended_at, queue_id = excluded.queue_id, queued_at = excluded.queued_at, \
         wait_ms = excluded.wait_ms, agent_id = COALESCE(excluded.agent_id, call_records.agent_id), released_by = excluded.released_by, \
         end_status = excluded.end_status, contact_id = excluded.contact_id, recording = excluded.recording, \
         recording_ms = excluded.recording_ms, ivr_path = excluded.ivr_path, \
         survey = excluded.survey, survey_score = excluded.survey_score \
         WHERE call_records.tenant_id = excluded.tenant_id",
    )
    .bind(tenant.0)
    .bind(c.id)
    .bind(&c.caller)
    .bind(&c.dialled)
    .bind(c.direction.code())
    .bind(c.started_at)
    .bind(c.answered_at)
    .bind(c.ended_at)
    .bind(c.queue.map(|q| q.0))
    .bind(c.queued_at)
    .bind(c.wait_ms)
    .bind(c.agent.map(|a| a.0))
    .bind(c.released_by.map(CallReleasedBy::code))
    .bind(c.end_status.map(i64::from))
    .bind(c.contact.map(|c| c.0))
    .bind(c.recording)
    .bind(c.recording_ms)
    .bind(&c.ivr_path)
    .bind(c.survey.map(CallSurvey::code))
    .bind(c.survey_score.map(i64::from))
    .execute(&mut **tx)
    .await?;
    // Another tenant's id conflicts and updates nothing.
    super::found(done.rows_affected())?;
    // Variables are known once the call left its IVR; until then there are none to write.
    if !c.variables.is_empty() {
        sqlx::query("DELETE FROM call_variables WHERE tenant_id = $1 AND call_id = $2")
            .bind(tenant.0)
            .bind(c.id)
            .execute(&mut **tx)
            .await?;
        for (name, value) in &c.variables {
            sqlx::query(
                "INSERT INTO call_variables (tenant_id, call_id, name, value) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (call_id, name) DO UPDATE SET value = excluded.value",
            )
            .bind(tenant.0)
            .bind(c.id)
            .bind(name)
            .bind(value)
            .execute(&mut **tx)
            .await?;
        }
    }
    // Hand-overs only grow while the call lasts; the saved ones are replaced whole.
    if !c.handoffs.is_empty() {
        save_handoffs(tx, tenant, c).await?;
    }
    Ok(())
}

async fn save_handoffs(tx: &mut Tx<'_>, tenant: TenantId, c: &CallRecord) -> Result<()> {
    sqlx::query("DELETE FROM call_handoffs WHERE tenant_id = $1 AND call_id = $2")
        .bind(tenant.0)
        .bind(c.id)
        .execute(&mut **tx)
        .await?;
    for (seq, h) in c.handoffs.iter().enumerate() {
        sqlx::query(
            "INSERT INTO call_handoffs (tenant_id, call_id, seq, at, kind, from_agent_id, to_agent_id, to_queue_id, to_target) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(tenant.0)
        .bind(c.id)
        .bind(seq as i64)
        .bind(h.at)
        .bind(h.kind.code())
        .bind(h.from.map(|a| a.0))
        .bind(h.to_agent.map(|a| a.0))
        .bind(h.to_queue.map(|q| q.0))
        .bind(h.to_target.as_deref())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// A call's hand-overs, in order.
async fn handoffs(store: &Store, tenant: TenantId, call: Uuid) -> Result<Vec<CallHandoff>> {
    type Row = (
        i64,
        String,
        Option<Uuid>,
        Option<Uuid>,
        Option<Uuid>,
        Option<String>,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT at, kind, from_agent_id, to_agent_id, to_queue_id, to_target FROM call_handoffs \
         WHERE tenant_id = $1 AND call_id = $2 ORDER BY seq",
    )
    .bind(tenant.0)
    .bind(call)
    .fetch_all(&store.reader)
    .await?;
    rows.into_iter()
        .map(|(at, kind, from, to_agent, to_queue, to_target)| {
            Ok(CallHandoff {
                at,
                kind: HandoffKind::parse(&kind).ok_or_else(|| corrupt("hand-over"))?,
                from: from.map(UserId),
                to_agent: to_agent.map(UserId),
                to_queue: to_queue.map(SkillQueueId),
                to_target,
            })
        })
        .collect()
}

/// Fills in the records' variables, in one query for all of them.
async fn with_variables(
    store: &Store,
    tenant: TenantId,
    mut records: Vec<CallRecord>,
) -> Result<Vec<CallRecord>> {
    if records.is_empty() {
        return Ok(records);
    }
    let mut b = sqlx::QueryBuilder::<Db>::new(
        "SELECT call_id, name, value FROM call_variables WHERE tenant_id = ",
    );
    b.push_bind(tenant.0);
    b.push(" AND call_id IN (");
    let mut ids = b.separated(", ");
    for r in &records {
        ids.push_bind(r.id);
    }
    b.push(") ORDER BY call_id, name");
    let rows: Vec<(Uuid, String, String)> = b.build_query_as().fetch_all(&store.reader).await?;
    for (call, name, value) in rows {
        if let Some(r) = records.iter_mut().find(|r| r.id == call) {
            r.variables.push((name, value));
        }
    }
    Ok(records)
}

/// Creates or replaces a leg; `NotFound` unless its call is this tenant's.
async fn upsert_leg(tx: &mut Tx<'_>, tenant: TenantId, l: &CallLeg) -> Result<()> {
    let owned: Option<(Uuid,)> =
        sqlx::query_as("SELECT id FROM call_records WHERE tenant_id = $1 AND id = $2")
            .bind(tenant.0)
            .bind(l.call)
            .fetch_optional(&mut **tx)
            .await?;
    if owned.is_none() {
        return Err(StorageError::NotFound);
    }
    let q = l.quality;
    let done = sqlx::query(
        "INSERT INTO call_legs (tenant_id, id, call_id, party, agent_id, codec, ring_at, answered_at, \
         ended_at, packets, lost, jitter_ms, mos_x100) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
         ON CONFLICT (id) DO UPDATE SET party = excluded.party, agent_id = excluded.agent_id, \
         codec = excluded.codec, ring_at = excluded.ring_at, answered_at = excluded.answered_at, \
         ended_at = excluded.ended_at, packets = excluded.packets, lost = excluded.lost, \
         jitter_ms = excluded.jitter_ms, mos_x100 = excluded.mos_x100 \
         WHERE call_legs.tenant_id = excluded.tenant_id AND call_legs.call_id = excluded.call_id",
    )
    .bind(tenant.0)
    .bind(l.id)
    .bind(l.call)
    .bind(l.party.code())
    .bind(l.agent.map(|a| a.0))
    .bind(&l.codec)
    .bind(l.ring_at)
    .bind(l.answered_at)
    .bind(l.ended_at)
    .bind(q.map(|q| q.packets))
    .bind(q.map(|q| q.lost))
    .bind(q.map(|q| q.jitter_ms))
    .bind(q.and_then(|q| q.mos_x100))
    .execute(&mut **tx)
    .await?;
    super::found(done.rows_affected())
}

#[async_trait::async_trait]
impl CallRecordStore for Store {
    async fn save_call_record(&self, tenant: TenantId, c: &CallRecord) -> Result<()> {
        let mut tx = self.writer.begin().await?;
        upsert_record(&mut tx, tenant, c).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn save_call_leg(&self, tenant: TenantId, l: &CallLeg) -> Result<()> {
        let mut tx = self.writer.begin().await?;
        upsert_leg(&mut tx, tenant, l).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn save_call_rows(
        &self,
        records: &[(TenantId, CallRecord)],
        legs: &[(TenantId, CallLeg)],
    ) -> Result<()> {
        let mut tx = self.writer.begin().await?;
        for (tenant, c) in records {
            upsert_record(&mut tx, *tenant, c).await?;
        }
        for (tenant, l) in legs {
            upsert_leg(&mut tx, *tenant, l).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn assign_call_agent(&self, tenant: TenantId, id: Uuid, agent: UserId) -> Result<()> {
        // Nothing changes when it is someone's already, or not this tenant's.
        sqlx::query(
            "UPDATE call_records SET agent_id = $3 WHERE tenant_id = $1 AND id = $2 AND agent_id IS NULL",
        )
        .bind(tenant.0)
        .bind(id)
        .bind(agent.0)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn call_record(&self, tenant: TenantId, id: Uuid) -> Result<Option<CallRecord>> {
        let row = sqlx::query(&format!(
            "SELECT {RECORD_COLUMNS} FROM call_records WHERE tenant_id = $1 AND id = $2"
        ))
        .bind(tenant.0)
        .bind(id)
        .fetch_optional(&self.reader)
        .await?;
        let Some(record) = row.as_ref().map(record_of).transpose()? else {
            return Ok(None);
        };
        let mut record = with_variables(self, tenant, vec![record]).await?.pop();
        if let Some(r) = record.as_mut() {
            r.handoffs = handoffs(self, tenant, r.id).await?;
        }
        Ok(record)
    }

    async fn call_legs(&self, tenant: TenantId, call: Uuid) -> Result<Vec<CallLeg>> {
        let rows = sqlx::query(&format!(
            "SELECT {LEG_COLUMNS} FROM call_legs WHERE tenant_id = $1 AND call_id = $2 ORDER BY ring_at, id"
        ))
        .bind(tenant.0)
        .bind(call)
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(leg_of).collect()
    }

    async fn call_records(&self, tenant: TenantId, q: &CallQuery) -> Result<Vec<CallRecord>> {
        let mut b = sqlx::QueryBuilder::<Db>::new(format!(
            "SELECT {RECORD_COLUMNS} FROM call_records WHERE tenant_id = "
        ));
        b.push_bind(tenant.0);
        if let Some(number) = q.number.as_deref().filter(|n| !n.is_empty()) {
            let escaped: String = number
                .chars()
                .flat_map(|c| match c {
                    '%' | '_' | '\\' => vec!['\\', c],
                    c => vec![c],
                })
                .collect();
            let pattern = format!("%{escaped}%");
            b.push(" AND (caller LIKE ");
            b.push_bind(pattern.clone());
            b.push(" ESCAPE '\\' OR dialled LIKE ");
            b.push_bind(pattern);
            b.push(" ESCAPE '\\')");
        }
        if let Some(from) = q.from {
            b.push(" AND started_at >= ").push_bind(from);
        }
        if let Some(to) = q.to {
            b.push(" AND started_at < ").push_bind(to);
        }
        if let Some(agent) = q.agent {
            b.push(" AND agent_id = ").push_bind(agent.0);
        }
        if let Some(queue) = q.queue {
            b.push(" AND queue_id = ").push_bind(queue.0);
        }
        if let Some(before) = q.before {
            b.push(" AND id < ").push_bind(before);
        }
        b.push(" ORDER BY id DESC LIMIT ")
            .push_bind(i64::from(q.limit.clamp(1, 500)));
        let rows = b.build().fetch_all(&self.reader).await?;
        let records = rows.iter().map(record_of).collect::<Result<Vec<_>>>()?;
        with_variables(self, tenant, records).await
    }

    async fn call_records_of_contacts(
        &self,
        tenant: TenantId,
        contacts: &[ContactId],
        limit: u32,
    ) -> Result<Vec<CallRecord>> {
        if contacts.is_empty() {
            return Ok(Vec::new());
        }
        let mut b = sqlx::QueryBuilder::<Db>::new(format!(
            "SELECT {RECORD_COLUMNS} FROM call_records WHERE tenant_id = "
        ));
        b.push_bind(tenant.0);
        b.push(" AND contact_id IN (");
        let mut ids = b.separated(", ");
        for c in contacts {
            ids.push_bind(c.0);
        }
        b.push(") ORDER BY id DESC LIMIT ")
            .push_bind(i64::from(limit.clamp(1, 500)));
        let rows = b.build().fetch_all(&self.reader).await?;
        let records = rows.iter().map(record_of).collect::<Result<Vec<_>>>()?;
        with_variables(self, tenant, records).await
    }
}
