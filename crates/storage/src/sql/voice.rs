//! Voice configuration: extensions, trunks (with their outbound proxies) and hotline numbers
//! (with their outbound trunks).

use std::net::IpAddr;

use switchboard_engine::{
    HotlineNumberId, IvrFlowId, SipTrunkId, SkillQueueId, TenantId, TicketTypeId, UserId,
};
use uuid::Uuid;

use super::{delete_owned, found, Store};
use crate::voice::{
    HotlineNumber, IvrFlow, NumberRoute, QueueVoice, SipExtension, SipTrunk, TrunkRegistration,
    VoicePrompt, VoiceStore, VoicemailTo,
};
use crate::{Millis, OutboundProxy, Result, StorageError};

fn corrupt(what: &str) -> StorageError {
    StorageError::Corrupt(format!("stored {what} cannot be read"))
}

fn route_columns(route: &NumberRoute) -> (&'static str, String) {
    match route {
        NumberRoute::Queue(q) => ("queue", q.0.to_string()),
        NumberRoute::Direct(uri) => ("direct", uri.clone()),
        NumberRoute::Extension(n) => ("extension", n.clone()),
        NumberRoute::Flow(f) => ("flow", f.0.to_string()),
    }
}

fn route_of(kind: &str, target: String) -> Result<NumberRoute> {
    Ok(match kind {
        "queue" => {
            NumberRoute::Queue(SkillQueueId::parse(&target).ok_or_else(|| corrupt("route"))?)
        }
        "direct" => NumberRoute::Direct(target),
        "extension" => NumberRoute::Extension(target),
        "flow" => NumberRoute::Flow(IvrFlowId::parse(&target).ok_or_else(|| corrupt("route"))?),
        _ => return Err(corrupt("route")),
    })
}

fn peers_of(text: &str) -> Result<Vec<IpAddr>> {
    text.split(',')
        .filter(|p| !p.is_empty())
        .map(|p| p.parse().map_err(|_| corrupt("trunk peer")))
        .collect()
}

/// A trunk's outbound proxy from its two columns, both or neither set.
fn proxy_of(host: Option<String>, port: Option<i64>) -> Result<Option<OutboundProxy>> {
    match (host, port) {
        (None, None) => Ok(None),
        (Some(host), Some(port)) => Ok(Some(OutboundProxy {
            host,
            port: u16::try_from(port).map_err(|_| corrupt("outbound proxy port"))?,
        })),
        _ => Err(corrupt("outbound proxy")),
    }
}

#[async_trait::async_trait]
impl VoiceStore for Store {
    async fn sip_extensions(&self, tenant: TenantId) -> Result<Vec<SipExtension>> {
        let rows: Vec<(Uuid, String, String, String)> = sqlx::query_as(
            "SELECT user_id, number, ha1_md5, ha1_sha256 FROM sip_extensions WHERE tenant_id = $1 ORDER BY number",
        )
        .bind(tenant.0)
        .fetch_all(&self.reader)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(agent, number, ha1_md5, ha1_sha256)| SipExtension {
                agent: UserId(agent),
                number,
                ha1_md5,
                ha1_sha256,
            })
            .collect())
    }

    async fn set_sip_extension(
        &self,
        tenant: TenantId,
        ext: &SipExtension,
        now: Millis,
    ) -> Result<()> {
        let mut tx = self.writer.begin().await?;
        // The agent must be this tenant's: the foreign key alone would accept another's.
        let owned: Option<(Uuid,)> =
            sqlx::query_as("SELECT id FROM users WHERE tenant_id = $1 AND id = $2")
                .bind(tenant.0)
                .bind(ext.agent.0)
                .fetch_optional(&mut *tx)
                .await?;
        if owned.is_none() {
            return Err(StorageError::NotFound);
        }
        sqlx::query("DELETE FROM sip_extensions WHERE tenant_id = $1 AND user_id = $2")
            .bind(tenant.0)
            .bind(ext.agent.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sip_extensions (tenant_id, user_id, number, ha1_md5, ha1_sha256, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(tenant.0)
        .bind(ext.agent.0)
        .bind(&ext.number)
        .bind(&ext.ha1_md5)
        .bind(&ext.ha1_sha256)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_sip_extension(&self, tenant: TenantId, agent: UserId) -> Result<()> {
        let done = sqlx::query("DELETE FROM sip_extensions WHERE tenant_id = $1 AND user_id = $2")
            .bind(tenant.0)
            .bind(agent.0)
            .execute(&self.writer)
            .await?;
        found(done.rows_affected())
    }

    async fn sip_trunks(&self, tenant: TenantId) -> Result<Vec<SipTrunk>> {
        type Row = (
            Uuid,
            String,
            String,
            bool,
            Option<String>,
            Option<i64>,
            Option<String>,
            Option<String>,
            Option<i64>,
            Option<String>,
            Option<i64>,
        );
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, name, peers, enabled, register_domain, register_port, register_user, \
             register_password, register_expires, outbound_host, outbound_port \
             FROM sip_trunks WHERE tenant_id = $1 ORDER BY name",
        )
        .bind(tenant.0)
        .fetch_all(&self.reader)
        .await?;
        rows.into_iter()
            .map(
                |(id, name, peers, enabled, domain, port, user, password, expires, host, oport)| {
                    let registration = match (domain, port, user, password, expires) {
                        (
                            Some(domain),
                            Some(port),
                            Some(username),
                            Some(password),
                            Some(expires),
                        ) => Some(TrunkRegistration {
                            domain,
                            port: u16::try_from(port).map_err(|_| corrupt("registrar port"))?,
                            username,
                            password,
                            expires_s: u32::try_from(expires)
                                .map_err(|_| corrupt("registration lifetime"))?,
                        }),
                        (None, ..) => None,
                        _ => return Err(corrupt("trunk registration")),
                    };
                    Ok(SipTrunk {
                        id: SipTrunkId(id),
                        name,
                        peers: peers_of(&peers)?,
                        enabled,
                        registration,
                        outbound: proxy_of(host, oport)?,
                    })
                },
            )
            .collect()
    }

    async fn save_sip_trunk(&self, tenant: TenantId, t: &SipTrunk, now: Millis) -> Result<()> {
        let reg = t.registration.as_ref();
        let peers = t
            .peers
            .iter()
            .map(IpAddr::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let mut tx = self.writer.begin().await?;
        let other: Option<(Uuid,)> =
            sqlx::query_as("SELECT tenant_id FROM sip_trunks WHERE id = $1")
                .bind(t.id.0)
                .fetch_optional(&mut *tx)
                .await?;
        if other.is_some_and(|(owner,)| owner != tenant.0) {
            return Err(StorageError::NotFound);
        }
        sqlx::query(
            "INSERT INTO sip_trunks (tenant_id, id, name, peers, enabled, created_at, register_domain, \
             register_port, register_user, register_password, register_expires, outbound_host, outbound_port) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, peers = excluded.peers, enabled = excluded.enabled, \
             register_domain = excluded.register_domain, register_port = excluded.register_port, \
             register_user = excluded.register_user, register_password = excluded.register_password, \
             register_expires = excluded.register_expires, outbound_host = excluded.outbound_host, \
             outbound_port = excluded.outbound_port",
        )
        .bind(tenant.0)
        .bind(t.id.0)
        .bind(&t.name)
        .bind(peers)
        .bind(t.enabled)
        .bind(now)
        .bind(reg.map(|r| r.domain.clone()))
        .bind(reg.map(|r| i64::from(r.port)))
        .bind(reg.map(|r| r.username.clone()))
        .bind(reg.map(|r| r.password.clone()))
        .bind(reg.map(|r| i64::from(r.expires_s)))
        .bind(t.outbound.as_ref().map(|o| o.host.clone()))
        .bind(t.outbound.as_ref().map(|o| i64::from(o.port)))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_sip_trunk(&self, tenant: TenantId, id: SipTrunkId) -> Result<()> {
        delete_owned(self, "sip_trunks", tenant, id.0).await
    }

    async fn hotline_numbers(&self, tenant: TenantId) -> Result<Vec<HotlineNumber>> {
        type Row = (Uuid, String, bool, bool, String, String, bool, Option<Uuid>);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, number, inbound, survey, route_kind, route_target, outbound, outbound_trunk_id \
             FROM hotline_numbers WHERE tenant_id = $1 ORDER BY number",
        )
        .bind(tenant.0)
        .fetch_all(&self.reader)
        .await?;
        rows.into_iter()
            .map(
                |(id, number, inbound, survey, kind, target, outbound, trunk)| {
                    Ok(HotlineNumber {
                        id: HotlineNumberId(id),
                        number,
                        inbound,
                        survey,
                        route: route_of(&kind, target)?,
                        outbound,
                        outbound_trunk: trunk.map(SipTrunkId),
                    })
                },
            )
            .collect()
    }

    async fn save_hotline_number(
        &self,
        tenant: TenantId,
        n: &HotlineNumber,
        now: Millis,
    ) -> Result<()> {
        let (kind, target) = route_columns(&n.route);
        let mut tx = self.writer.begin().await?;
        let other: Option<(Uuid,)> =
            sqlx::query_as("SELECT tenant_id FROM hotline_numbers WHERE id = $1")
                .bind(n.id.0)
                .fetch_optional(&mut *tx)
                .await?;
        if other.is_some_and(|(owner,)| owner != tenant.0) {
            return Err(StorageError::NotFound);
        }
        // The trunk must be this tenant's: the foreign key alone would accept another's.
        if let Some(trunk) = n.outbound_trunk {
            let owned: Option<(Uuid,)> =
                sqlx::query_as("SELECT id FROM sip_trunks WHERE tenant_id = $1 AND id = $2")
                    .bind(tenant.0)
                    .bind(trunk.0)
                    .fetch_optional(&mut *tx)
                    .await?;
            if owned.is_none() {
                return Err(StorageError::NotFound);
            }
        }
        sqlx::query(
            "INSERT INTO hotline_numbers (tenant_id, id, number, inbound, survey, route_kind, route_target, \
             created_at, outbound, outbound_trunk_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (id) DO UPDATE SET number = excluded.number, inbound = excluded.inbound, \
             survey = excluded.survey, route_kind = excluded.route_kind, route_target = excluded.route_target, \
             outbound = excluded.outbound, outbound_trunk_id = excluded.outbound_trunk_id",
        )
        .bind(tenant.0)
        .bind(n.id.0)
        .bind(&n.number)
        .bind(n.inbound)
        .bind(n.survey)
        .bind(kind)
        .bind(target)
        .bind(now)
        .bind(n.outbound)
        .bind(n.outbound_trunk.map(|t| t.0))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_hotline_number(&self, tenant: TenantId, id: HotlineNumberId) -> Result<()> {
        delete_owned(self, "hotline_numbers", tenant, id.0).await
    }

    async fn ivr_flows(&self, tenant: TenantId) -> Result<Vec<IvrFlow>> {
        let rows: Vec<(Uuid, String, String)> = sqlx::query_as(
            "SELECT id, name, definition FROM ivr_flows WHERE tenant_id = $1 ORDER BY name",
        )
        .bind(tenant.0)
        .fetch_all(&self.reader)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, definition)| IvrFlow {
                id: IvrFlowId(id),
                name,
                definition,
            })
            .collect())
    }

    async fn save_ivr_flow(&self, tenant: TenantId, f: &IvrFlow, now: Millis) -> Result<()> {
        let mut tx = self.writer.begin().await?;
        let other: Option<(Uuid,)> =
            sqlx::query_as("SELECT tenant_id FROM ivr_flows WHERE id = $1")
                .bind(f.id.0)
                .fetch_optional(&mut *tx)
                .await?;
        if other.is_some_and(|(owner,)| owner != tenant.0) {
            return Err(StorageError::NotFound);
        }
        sqlx::query(
            "INSERT INTO ivr_flows (tenant_id, id, name, definition, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) \
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, definition = excluded.definition, updated_at = excluded.updated_at",
        )
        .bind(tenant.0)
        .bind(f.id.0)
        .bind(&f.name)
        .bind(&f.definition)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_ivr_flow(&self, tenant: TenantId, id: IvrFlowId) -> Result<()> {
        let mut tx = self.writer.begin().await?;
        let used: Option<(String,)> = sqlx::query_as(
            "SELECT number FROM hotline_numbers WHERE tenant_id = $1 AND route_kind = 'flow' AND route_target = $2",
        )
        .bind(tenant.0)
        .bind(id.0.to_string())
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((number,)) = used {
            return Err(StorageError::Reference(format!(
                "hotline number {number} routes to this flow"
            )));
        }
        let done = sqlx::query("DELETE FROM ivr_flows WHERE tenant_id = $1 AND id = $2")
            .bind(tenant.0)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        found(done.rows_affected())
    }

    async fn queue_voice(&self, tenant: TenantId) -> Result<Vec<QueueVoice>> {
        type Row = (Uuid, Option<i64>, String, Option<Uuid>, Option<Uuid>, i64);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT queue_id, announce_every_s, languages, voicemail_queue_id, \
             voicemail_ticket_type_id, voicemail_max_s FROM queue_voice WHERE tenant_id = $1",
        )
        .bind(tenant.0)
        .fetch_all(&self.reader)
        .await?;
        rows.into_iter()
            .map(|(queue, every, languages, task_queue, ticket_type, max)| {
                Ok(QueueVoice {
                    queue: SkillQueueId(queue),
                    announce_every_s: every
                        .map(u32::try_from)
                        .transpose()
                        .map_err(|_| corrupt("announcement interval"))?,
                    languages: languages
                        .split(',')
                        .filter(|l| !l.is_empty())
                        .map(str::to_owned)
                        .collect(),
                    voicemail: match (task_queue, ticket_type) {
                        (None, None) => None,
                        (Some(q), None) => Some(VoicemailTo::Task(SkillQueueId(q))),
                        (None, Some(t)) => Some(VoicemailTo::Ticket(TicketTypeId(t))),
                        (Some(_), Some(_)) => return Err(corrupt("voicemail destination")),
                    },
                    voicemail_max_s: u32::try_from(max).map_err(|_| corrupt("voicemail limit"))?,
                })
            })
            .collect()
    }

    async fn save_queue_voice(&self, tenant: TenantId, q: &QueueVoice, now: Millis) -> Result<()> {
        let mut tx = self.writer.begin().await?;
        let task_queue = match q.voicemail {
            Some(VoicemailTo::Task(t)) => Some(t),
            _ => None,
        };
        let ticket_type = match q.voicemail {
            Some(VoicemailTo::Ticket(t)) => Some(t),
            _ => None,
        };
        for queue in std::iter::once(q.queue).chain(task_queue) {
            let owner: Option<(Uuid,)> =
                sqlx::query_as("SELECT tenant_id FROM skill_queues WHERE id = $1")
                    .bind(queue.0)
                    .fetch_optional(&mut *tx)
                    .await?;
            if owner.is_none_or(|(t,)| t != tenant.0) {
                return Err(StorageError::NotFound);
            }
        }
        if let Some(t) = ticket_type {
            let owner: Option<(Uuid,)> =
                sqlx::query_as("SELECT tenant_id FROM ticket_types WHERE id = $1")
                    .bind(t.0)
                    .fetch_optional(&mut *tx)
                    .await?;
            if owner.is_none_or(|(o,)| o != tenant.0) {
                return Err(StorageError::NotFound);
            }
        }
        sqlx::query(
            "INSERT INTO queue_voice (tenant_id, queue_id, announce_every_s, languages, voicemail_queue_id, \
             voicemail_ticket_type_id, voicemail_max_s, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (queue_id) DO UPDATE SET \
             announce_every_s = excluded.announce_every_s, languages = excluded.languages, \
             voicemail_queue_id = excluded.voicemail_queue_id, \
             voicemail_ticket_type_id = excluded.voicemail_ticket_type_id, \
             voicemail_max_s = excluded.voicemail_max_s, updated_at = excluded.updated_at",
        )
        .bind(tenant.0)
        .bind(q.queue.0)
        .bind(q.announce_every_s.map(i64::from))
        .bind(q.languages.join(","))
        .bind(task_queue.map(|v| v.0))
        .bind(ticket_type.map(|v| v.0))
        .bind(i64::from(q.voicemail_max_s))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn voice_prompts(&self, tenant: TenantId) -> Result<Vec<VoicePrompt>> {
        let rows: Vec<(Uuid, String, i64, i64)> = sqlx::query_as(
            "SELECT id, name, duration_ms, created_at FROM voice_prompts WHERE tenant_id = $1 ORDER BY name",
        )
        .bind(tenant.0)
        .fetch_all(&self.reader)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, duration_ms, created_at)| VoicePrompt {
                id,
                name,
                duration_ms,
                created_at,
            })
            .collect())
    }

    async fn save_voice_prompt(&self, tenant: TenantId, p: &VoicePrompt) -> Result<()> {
        let mut tx = self.writer.begin().await?;
        let other: Option<(Uuid,)> =
            sqlx::query_as("SELECT tenant_id FROM voice_prompts WHERE id = $1")
                .bind(p.id)
                .fetch_optional(&mut *tx)
                .await?;
        if other.is_some_and(|(owner,)| owner != tenant.0) {
            return Err(StorageError::NotFound);
        }
        // Only the name changes once a prompt exists: its audio is fixed at upload.
        sqlx::query(
            "INSERT INTO voice_prompts (tenant_id, id, name, duration_ms, created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (id) DO UPDATE SET name = excluded.name",
        )
        .bind(tenant.0)
        .bind(p.id)
        .bind(&p.name)
        .bind(p.duration_ms)
        .bind(p.created_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_voice_prompt(&self, tenant: TenantId, id: Uuid) -> Result<()> {
        delete_owned(self, "voice_prompts", tenant, id).await
    }
}
