//! A message left on a queue whose voicemail becomes a ticket (V1, R4). Once the media runner
//! has finished the call's recording (it may be after the call ended), the caller's side,
//! cut to the message's length, is kept as a 16-bit WAV file of the call's contact, and the
//! system opens a ticket of the queue's type through the ticket center's own
//! `work::open_ticket`: the caller's number as its title and phone, the number and the
//! message's length as its description, the file in the type's first attachment field (if it
//! has one), the call linked, in the queue's skill group so its agents may claim it. The
//! message's facts — caller, call record, length and the file's URL (null when the call was
//! not recorded) — are the `voicemail` of the trail's `created` entry, where the UI plays it.

use anyhow::Context;
use serde_json::{json, Map};
use switchboard_engine::ticket::{FieldType, RawValue, TicketSchema};
use switchboard_engine::{ContactId, SkillQueueId, TenantId, TicketId, TicketTypeId};
use switchboard_media::wav;
use switchboard_storage::StoredFile;
use switchboard_voice::call::CallRef;
use tokio::sync::oneshot;

use super::{Bridge, Message};
use crate::api::files::{file_url, new_file, WAV};
use crate::api::tickets::automation::RuleTenant;
use crate::api::tickets::shared::load_type;
use crate::api::tickets::work::{field_error, open_ticket, Opening, Placement};
use crate::state::AppState;
use crate::voice::uploads::wav_bytes;

/// Where the ticket goes and what it is about.
struct Voicemail {
    tenant: TenantId,
    ticket_type: TicketTypeId,
    /// The queue the caller waited in: the ticket's skill group.
    group: Option<SkillQueueId>,
    /// The call's contact: the ticket links it, and the message's file is one of its files.
    contact: Option<ContactId>,
    message: Message,
}

impl Bridge {
    /// Makes a ticket of the message once its recording (if the call was recorded) is
    /// finished; off the bridge's loop, so calls are not held up meanwhile.
    pub(super) fn voicemail_ticket(
        &mut self,
        call: CallRef,
        tenant: TenantId,
        ticket_type: TicketTypeId,
        message: Message,
        recording: Option<oneshot::Receiver<()>>,
    ) {
        let (group, contact) = match self.queued.get(&call) {
            Some(q) if q.tenant == tenant => (Some(q.queue), Some(q.contact)),
            _ => (None, None),
        };
        let v = Voicemail {
            tenant,
            ticket_type,
            group,
            contact,
            message,
        };
        let state = self.state.clone();
        tokio::spawn(async move {
            let recorded = match recording {
                // Told, or dropped when the recording never started: either way it is done.
                Some(finished) => finished.await.is_ok(),
                None => false,
            };
            let record = v.message.record;
            match open(&state, v, recorded).await {
                Ok(ticket) => tracing::info!(%ticket, %record, "a voicemail became a ticket"),
                Err(why) => {
                    tracing::error!(why = format!("{why:#}"), %record, "a voicemail could not become a ticket")
                }
            }
        });
    }
}

async fn open(state: &AppState, v: Voicemail, recorded: bool) -> anyhow::Result<TicketId> {
    let m = &v.message;
    let (ticket_type, schema) = load_type(state, v.tenant, v.ticket_type).await?;
    anyhow::ensure!(ticket_type.active, "the ticket type is no longer in use");
    let file = match (recorded, v.contact) {
        (true, Some(contact)) => Some(keep_recording(state, v.tenant, contact, m).await?),
        (true, None) => {
            tracing::warn!(record = %m.record, "a voicemail without its call's contact: the ticket has no recording attached");
            None
        }
        (false, _) => None,
    };
    let tenant_name = match &file {
        Some(_) => state
            .store
            .tenants()
            .await?
            .into_iter()
            .find(|t| t.id == v.tenant)
            .map(|t| t.name.as_str().to_owned())
            .context("the tenant is gone")?,
        None => String::new(),
    };
    let zone = state.store.tenant_zone(v.tenant).await?;
    let recording = file.as_ref().map(|f| file_url(&tenant_name, f));
    let input = fields(&schema, m, file.as_ref().map(|f| f.id.to_string()));
    let values = schema.new_values(&input, &zone).map_err(field_error)?;
    let place = Placement {
        template: None,
        category: None,
        group: v.group,
        assignee: None,
    };
    let mut about = Map::new();
    // The trail's `created` entry is where the UI plays the message.
    about.insert(
        "voicemail".into(),
        json!({
            "caller": m.caller,
            "call_record": m.record,
            "voicemail_ms": m.duration_ms,
            "recording": recording,
        }),
    );
    let opening = Opening {
        tenant: RuleTenant {
            id: v.tenant,
            zone: &zone,
        },
        creator: None,
        contact: v.contact,
        about,
    };
    let ticket = open_ticket(state, opening, &schema, v.ticket_type, &place, values).await?;
    Ok(ticket.id)
}

/// The ticket's fields: the caller's number as title and phone (when the phone field takes
/// it), a neutral line in the description (the caller's number and the message's length as
/// `m:ss`), the file in the first attachment field. No word in any language: the trail's
/// `created` entry holds the message's facts, and the UI says what they are.
fn fields(schema: &TicketSchema, m: &Message, file: Option<String>) -> Vec<(String, RawValue)> {
    let caller = m.caller.trim();
    let title = if caller.is_empty() {
        m.record.to_string()
    } else {
        caller.to_owned()
    };
    let length = minutes_seconds(m.duration_ms);
    let description = if caller.is_empty() {
        length
    } else {
        format!("{caller} · {length}")
    };
    let mut input = vec![
        ("title".to_owned(), RawValue::Text(title)),
        ("description".to_owned(), RawValue::Text(description)),
    ];
    let phone = RawValue::Text(caller.to_owned());
    let zone = switchboard_engine::TenantZone::default();
    // A caller without a number (anonymous, a SIP name) leaves the phone empty.
    if schema
        .field("phone")
        .is_some_and(|f| matches!(f.parse_value(&phone, &zone), Ok(Some(_))))
    {
        input.push(("phone".to_owned(), phone));
    }
    let attachment = schema
        .fields
        .iter()
        .find(|f| f.field_type == FieldType::Attachment);
    if let (Some(file), Some(field)) = (file, attachment) {
        input.push((field.code.as_str().to_owned(), RawValue::List(vec![file])));
    }
    input
}

/// A length as `m:ss`, to the nearest second.
fn minutes_seconds(ms: u64) -> String {
    let s = ms.saturating_add(500) / 1000;
    format!("{}:{:02}", s / 60, s % 60)
}

/// Keeps the message as a file of the call's contact: the caller's side of the finished
/// recording, cut to the message's length, as 16-bit 8 kHz mono WAV (which browsers play;
/// the recording's µ-law they may not).
async fn keep_recording(
    state: &AppState,
    tenant: TenantId,
    contact: ContactId,
    m: &Message,
) -> anyhow::Result<StoredFile> {
    let root = state
        .voice
        .recordings()
        .context("no folder for recordings")?;
    // Only our ids name the file: the tenant's and the record's, both UUIDs.
    let path = root
        .join(tenant.0.to_string())
        .join(format!("{}.wav", m.record));
    let recording = tokio::fs::read(&path)
        .await
        .with_context(|| format!("reading {}", path.display()))?;
    let limit = m.duration_ms;
    let data = tokio::task::spawn_blocking(move || message_wav(&recording, limit)).await??;
    let name = format!("{}.wav", m.record);
    let file = new_file(contact, name, WAV, data, state.clock.now_ms());
    state.store.store_file(tenant, &file).await?;
    Ok(file)
}

/// The caller's channel of a recording, its first `duration_ms`, as 16-bit mono WAV.
fn message_wav(recording: &[u8], duration_ms: u64) -> anyhow::Result<Vec<u8>> {
    let w = wav::read(recording)?;
    anyhow::ensure!(
        w.sample_rate == 8_000,
        "a recording at {} Hz",
        w.sample_rate
    );
    let caller = w.channels.into_iter().next().unwrap_or_default();
    let wanted = duration_ms.saturating_mul(8);
    let n = usize::try_from(wanted).map_or(caller.len(), |n| n.min(caller.len()));
    Ok(wav_bytes(&caller[..n]))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.
    use super::*;

    #[test]
    fn a_length_reads_as_minutes_and_seconds() {
        let cases = [
            (0, "0:00"),
            (499, "0:00"),
            (42_400, "0:42"),
            (59_600, "1:00"),
            (600_000, "10:00"),
        ];
        for (ms, text) in cases {
            assert_eq!(minutes_seconds(ms), text, "{ms} ms");
        }
    }

    #[test]
    fn the_message_is_the_callers_side_cut_to_its_length() {
        // Two seconds of a stereo µ-law recording: the caller left, silence right.
        let frames = 100;
        let mut out = std::io::Cursor::new(Vec::new());
        let mut r =
            switchboard_media::recorder::Recorder::new(&mut out, wav::WavFormat::MuLaw).unwrap();
        let customer = [1_000i16; 160];
        for _ in 0..frames {
            r.write_frame(&customer, &[0; 160]).unwrap();
        }
        r.finish().unwrap();
        let bytes = message_wav(out.get_ref(), 1_500).unwrap();
        let w = wav::read(&bytes).unwrap();
        assert_eq!(
            (w.format, w.sample_rate, w.channels.len()),
            (wav::WavFormat::Pcm16, 8_000, 1)
        );
        assert_eq!(w.channels[0].len(), 12_000, "1.5 s of the caller");
        assert!(w.channels[0].iter().all(|s| (s - 1_000).abs() < 40));
        // A message said to be longer than the recording keeps what there is.
        let all = wav::read(&message_wav(out.get_ref(), 60_000).unwrap()).unwrap();
        assert_eq!(all.channels[0].len(), frames * 160);
        assert!(message_wav(b"not a wav", 1_000).is_err());
    }
}
