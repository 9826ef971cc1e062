//! The screen pop (V3): who is calling, for the agent a call is offered to or connected with —
//! the number and where it belongs (号码归属地), the name the records know for it (a chat
//! customer who gave this number, else a ticket's customer with this phone), the IVR path and
//! what the caller keyed in, and the caller's latest 3 earlier contacts on any channel.

use std::collections::{BTreeMap, HashMap};

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use serde_json::Value;
use switchboard_engine::acd::ContactPhase;
use switchboard_engine::{Channel, SkillQueueId, UserId};
use switchboard_storage::{NameSource, StoredContact};
use utoipa::ToSchema;
use uuid::Uuid;

use super::contacts::load_contact;
use super::customers::record::{customer_of_key, CustomerBrief};
use super::wire::rfc3339;
use crate::auth::{perm, Can};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::IdPath;
use crate::geo;
use crate::state::AppState;

/// How many earlier contacts the pop shows.
const RECENT: u32 = 3;

#[derive(Serialize, ToSchema)]
pub struct PlaceNames {
    #[schema(required)]
    pub country: Option<String>,
    /// Province or state (or the whole area's description, e.g. 北京市).
    #[schema(required)]
    pub region: Option<String>,
    #[schema(required)]
    pub city: Option<String>,
}

/// Where a number belongs, in both languages (libphonenumber's geocoding data).
#[derive(Serialize, ToSchema)]
pub struct LocationOut {
    /// ISO 3166 region code (CN, US…).
    pub country: String,
    pub zh: PlaceNames,
    pub en: PlaceNames,
}

/// One of the caller's earlier contacts.
#[derive(Serialize, ToSchema)]
pub struct PastContact {
    pub id: Uuid,
    #[schema(schema_with = crate::api::wire::channel_schema)]
    pub channel: String,
    pub created_at: String,
    #[schema(required)]
    pub closed_at: Option<String>,
    pub queue_id: Uuid,
    #[schema(required)]
    pub queue_name: Option<String>,
    #[schema(required)]
    pub agent_id: Option<Uuid>,
    #[schema(required)]
    pub agent_name: Option<String>,
    #[schema(required)]
    pub outcome: Option<String>,
    /// The summary's problem.
    #[schema(required)]
    pub summary: Option<String>,
    #[schema(required)]
    pub disposition: Option<String>,
    #[schema(required)]
    pub disposition_label: Option<String>,
    /// The call record of a call (`/api/v1/calls/{id}`).
    #[schema(required)]
    pub call_id: Option<Uuid>,
}

#[derive(Serialize, ToSchema)]
pub struct CallerOut {
    pub contact_id: Uuid,
    /// The caller's number as the call brought it (E.164 where it could be read).
    pub number: String,
    #[schema(required)]
    pub location: Option<LocationOut>,
    /// The name the records know for this number.
    #[schema(required)]
    pub name: Option<String>,
    /// Where that name was found: chat_customer or ticket.
    #[schema(required)]
    pub name_source: Option<String>,
    /// The IVR path the call took (`主菜单 → 1 售前`); empty without one.
    pub ivr_path: String,
    /// What the caller keyed in the IVR, by variable.
    pub ivr_variables: BTreeMap<String, String>,
    /// This call's record.
    #[schema(required)]
    pub call_id: Option<Uuid>,
    /// The caller's latest 3 earlier contacts on any channel, newest first.
    pub recent: Vec<PastContact>,
    /// The caller's record in the customer directory.
    #[schema(required)]
    pub customer: Option<CustomerBrief>,
}

/// The screen pop of a call offered to me or that I am serving (connected or in wrap-up).
#[utoipa::path(get, path = "/api/v1/contacts/{id}/caller", operation_id = "contacts_caller", tag = "contacts",
    security(("bearer" = ["agent.work"])), params(("id" = Uuid, Path)),
    responses((status = 200, body = CallerOut), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    p: Can<perm::AgentWork>,
    IdPath(id): IdPath,
) -> ApiResult<Json<CallerOut>> {
    let (stored, live) =
        load_contact(&state, p.tenant_id, switchboard_engine::ContactId(id)).await?;
    let mine = live.is_some_and(|v| match v.phase {
        ContactPhase::Offered { agent, .. }
        | ContactPhase::Connected { agent, .. }
        | ContactPhase::WrapUp { agent, .. } => agent == p.user_id,
        ContactPhase::Queued | ContactPhase::Reserved { .. } => false,
    });
    if !mine || stored.channel != Channel::Voice {
        return Err(ApiError::not_found());
    }
    let data: Value = serde_json::from_str(&stored.data).unwrap_or(Value::Null);
    let number = data["caller"]
        .as_str()
        .map(str::to_owned)
        .or_else(|| stored.customer.clone())
        .unwrap_or_default();
    let records = state
        .store
        .caller_records(p.tenant_id, &number_forms(&number), stored.id, RECENT)
        .await?;
    let recent = past_contacts(&state, p.tenant_id, &records.recent).await?;
    let customer = customer_of_key(&state, p.tenant_id, &number).await?;
    let (name, source) = match records.name {
        Some((n, NameSource::ChatCustomer)) => (Some(n), Some("chat_customer")),
        Some((n, NameSource::Ticket)) => (Some(n), Some("ticket")),
        None => (None, None),
    };
    // The first lookup decodes the data (tens of milliseconds): off the async workers.
    let lookup = number.clone();
    let location = tokio::task::spawn_blocking(move || geo::locate(&lookup))
        .await
        .map_err(anyhow::Error::from)?;
    Ok(Json(CallerOut {
        contact_id: stored.id.0,
        location: location.map(location_out),
        number,
        name,
        name_source: source.map(str::to_owned),
        ivr_path: data["ivr_path"].as_str().unwrap_or_default().to_owned(),
        ivr_variables: string_map(&data["ivr_variables"]),
        call_id: call_of(&data),
        recent,
        customer,
    }))
}

fn location_out(l: geo::Location) -> LocationOut {
    let names = |n: geo::Names| PlaceNames {
        country: n.country,
        region: n.region,
        city: n.city,
    };
    LocationOut {
        country: l.country,
        zh: names(l.zh),
        en: names(l.en),
    }
}

fn string_map(v: &Value) -> BTreeMap<String, String> {
    v.as_object()
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_owned())))
                .collect()
        })
        .unwrap_or_default()
}

fn call_of(data: &Value) -> Option<Uuid> {
    data["call_record"]
        .as_str()
        .and_then(|s| Uuid::parse_str(s).ok())
}

/// The earlier contacts with their queue, agent and disposition named.
async fn past_contacts(
    state: &AppState,
    tenant: switchboard_engine::TenantId,
    contacts: &[StoredContact],
) -> ApiResult<Vec<PastContact>> {
    let mut agents: HashMap<UserId, Option<String>> = HashMap::new();
    let mut queues: HashMap<SkillQueueId, Option<String>> = HashMap::new();
    for c in contacts {
        if let Some(a) = c.agent.filter(|a| !agents.contains_key(a)) {
            let user = state.store.user(tenant, a).await?;
            agents.insert(a, user.map(|u| u.display_name.as_str().to_owned()));
        }
        if let std::collections::hash_map::Entry::Vacant(slot) = queues.entry(c.queue) {
            let queue = state.store.skill_queue(tenant, c.queue).await?;
            slot.insert(queue.map(|q| q.spec.name.as_str().to_owned()));
        }
    }
    let codes = state.store.disposition_codes(tenant).await?;
    let label = |code: &Option<String>| {
        let code = code.as_deref()?;
        codes
            .iter()
            .find(|c| c.code == code)
            .map(|c| c.label.clone())
    };
    Ok(contacts
        .iter()
        .map(|c| {
            let data: Value = serde_json::from_str(&c.data).unwrap_or(Value::Null);
            PastContact {
                id: c.id.0,
                channel: c.channel.code().into(),
                created_at: rfc3339(c.created_at),
                closed_at: c.closed_at.map(rfc3339),
                queue_id: c.queue.0,
                queue_name: queues.get(&c.queue).cloned().flatten(),
                agent_id: c.agent.map(|a| a.0),
                agent_name: c.agent.and_then(|a| agents.get(&a).cloned().flatten()),
                outcome: c.outcome.map(|o| o.code().into()),
                summary: c.summary.clone(),
                disposition: c.disposition.clone(),
                disposition_label: label(&c.disposition),
                call_id: (c.channel == Channel::Voice)
                    .then(|| call_of(&data))
                    .flatten(),
            }
        })
        .collect())
}

/// The forms one number is written in by people and systems: E.164, with `00`, national,
/// and for Chinese numbers the usual groupings (`138 0013 8000`, `021-61234567`). Records
/// are matched exactly against these, so the phone indexes serve the look-up.
pub fn number_forms(number: &str) -> Vec<String> {
    let number = number.trim();
    let Some(digits) = number
        .strip_prefix('+')
        .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
    else {
        return match number.is_empty() {
            true => Vec::new(),
            false => vec![number.to_owned()],
        };
    };
    let mut forms = vec![number.to_owned(), digits.to_owned(), format!("00{digits}")];
    if let Some(n) = digits.strip_prefix("86").filter(|n| n.len() >= 7) {
        forms.push(format!("+86 {n}"));
        if n.len() == 11 && n.starts_with('1') {
            let (a, b, c) = (&n[..3], &n[3..7], &n[7..]);
            forms.extend([
                n.to_owned(),
                format!("{a} {b} {c}"),
                format!("{a}-{b}-{c}"),
                format!("+86 {a} {b} {c}"),
            ]);
        } else {
            let area = if n.starts_with("10") || n.starts_with('2') {
                2
            } else {
                3
            };
            let (a, rest) = n.split_at(area.min(n.len()));
            forms.extend([
                format!("0{n}"),
                format!("0{a}-{rest}"),
                format!("0{a} {rest}"),
                format!("(0{a}){rest}"),
                n.to_owned(),
            ]);
        }
    }
    forms
}

#[cfg(test)]
mod tests {
    use super::number_forms;

    #[test]
    fn forms_of_a_chinese_mobile_and_fixed_line() {
        let m = number_forms("+8613800138000");
        for f in [
            "+8613800138000",
            "13800138000",
            "138 0013 8000",
            "138-0013-8000",
            "008613800138000",
        ] {
            assert!(m.iter().any(|x| x == f), "{f} missing from {m:?}");
        }
        let f = number_forms("+862161234567");
        for x in ["02161234567", "021-61234567", "(021)61234567"] {
            assert!(f.iter().any(|y| y == x), "{x} missing from {f:?}");
        }
        assert!(number_forms("+8675512345678")
            .iter()
            .any(|x| x == "0755-12345678"));
    }

    #[test]
    fn other_numbers_keep_their_form() {
        assert_eq!(
            number_forms("+12125550123"),
            ["+12125550123", "12125550123", "0012125550123"]
        );
        assert_eq!(number_forms("1001"), ["1001"]);
        assert!(number_forms("  ").is_empty());
    }
}
