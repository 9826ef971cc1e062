//! Sending deliveries: the signed POST, its outcome, and the retry schedule on the server's
//! clock. What the sender holds is bounded: a few requests at once, 10 s each, and at most
//! 64 KiB of each answer read (its first 1 KiB kept for the log).

use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use sha2::Sha256;
use switchboard_storage::{Attempt, DeliveryState, DueDelivery};
use tokio::task::JoinSet;

use super::guard;
use crate::state::AppState;

/// Requests in flight at once.
const CONCURRENT: u32 = 8;
/// Batches sent per tick at most, so one tick ends even when the outbox is deep.
const BATCHES_PER_TICK: usize = 32;
const TIMEOUT: Duration = Duration::from_secs(10);
/// Bytes of an answer read at most.
const READ_LIMIT: usize = 64 * 1024;
/// Bytes of an answer kept in the delivery log.
const SNIPPET: usize = 1024;
/// Waits before each retry: 10 s, 1 min, 5 min, 30 min, 2 h, 6 h; then the delivery failed.
pub const RETRY_AFTER_MS: [i64; 6] = [10_000, 60_000, 300_000, 1_800_000, 7_200_000, 21_600_000];

/// `sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`.
pub fn signature(secret: &str, timestamp: &str, body: &str) -> String {
    // An HMAC takes a key of any length; this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// When to try again after the `attempts`-th attempt failed; `None`: give up.
pub fn retry_at(attempts: u32, now: i64) -> Option<i64> {
    let wait = RETRY_AFTER_MS.get(usize::try_from(attempts).ok()?.checked_sub(1)?)?;
    Some(now + wait)
}

/// The HTTP client deliveries go out on.
pub struct Sender {
    client: reqwest::Client,
    allow_private: bool,
}

impl Sender {
    pub fn new(allow_private: bool) -> anyhow::Result<Self> {
        let mut builder = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT)
            // A redirect could lead anywhere, a literal private address included.
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .user_agent(concat!("Switchboard-Webhooks/", env!("CARGO_PKG_VERSION")));
        if !allow_private {
            builder = builder.dns_resolver(std::sync::Arc::new(guard::PublicOnly));
        }
        Ok(Self {
            client: builder.build()?,
            allow_private,
        })
    }

    /// Sends what is due now, a few at a time, recording each attempt.
    pub async fn send_due(&self, state: &AppState) -> anyhow::Result<()> {
        for _ in 0..BATCHES_PER_TICK {
            let now = state.clock.now_ms();
            let due = state.store.due_webhook_deliveries(now, CONCURRENT).await?;
            let full = due.len() == CONCURRENT as usize;
            let mut sending = JoinSet::new();
            for d in due {
                let client = self.client.clone();
                let allow_private = self.allow_private;
                let clock = state.clock.clone();
                sending.spawn(async move {
                    let attempt = attempt(&client, allow_private, &d, clock.now_ms()).await;
                    (d, attempt)
                });
            }
            while let Some(done) = sending.join_next().await {
                let Ok((d, attempt)) = done else { continue };
                crate::metrics::global().webhook_attempt(outcome(&attempt));
                state
                    .store
                    .record_webhook_attempt(d.tenant, d.delivery.id, &attempt)
                    .await?;
            }
            if !full {
                break;
            }
        }
        Ok(())
    }
}

fn outcome(a: &Attempt) -> &'static str {
    match (a.state, a.status) {
        (DeliveryState::Delivered, _) => "delivered",
        (DeliveryState::Pending, _) => "retry",
        (DeliveryState::Failed, None) if a.error.as_deref() == Some(REFUSED) => "refused",
        (DeliveryState::Failed, _) => "failed",
    }
}

const REFUSED: &str = "refused: the URL is a loopback, private or link-local address";

/// One attempt at a delivery, at `now` on the server's clock.
async fn attempt(
    client: &reqwest::Client,
    allow_private: bool,
    due: &DueDelivery,
    now: i64,
) -> Attempt {
    let d = &due.delivery;
    let mut result = Attempt {
        at: now,
        state: DeliveryState::Failed,
        next_attempt_at: None,
        status: None,
        error: None,
        response: None,
        duration_ms: 0,
    };
    let url = match reqwest::Url::parse(&due.url) {
        Ok(url) if guard::literal_refused(&url, allow_private).is_none() => url,
        _ => {
            result.error = Some(REFUSED.into());
            return result;
        }
    };
    let timestamp = (now / 1000).to_string();
    let started = Instant::now();
    let sent = client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("X-Switchboard-Event", &d.event_type)
        .header("X-Switchboard-Delivery", d.id.to_string())
        .header("X-Switchboard-Timestamp", &timestamp)
        .header(
            "X-Switchboard-Signature",
            signature(&due.secret, &timestamp, &d.body),
        )
        .body(d.body.clone())
        .send()
        .await;
    let delivered = match sent {
        Ok(mut response) => {
            let status = response.status();
            result.status = Some(status.as_u16());
            result.response = Some(read_snippet(&mut response).await);
            status.is_success()
        }
        Err(err) => {
            result.error = Some(describe(&err));
            false
        }
    };
    result.duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    if delivered {
        result.state = DeliveryState::Delivered;
    } else if let Some(next) = retry_at(d.attempts + 1, now) {
        result.state = DeliveryState::Pending;
        result.next_attempt_at = Some(next);
    }
    result
}

/// The start of an answer, reading no more than `READ_LIMIT` of it.
async fn read_snippet(response: &mut reqwest::Response) -> String {
    let mut bytes = Vec::new();
    while bytes.len() < READ_LIMIT {
        match response.chunk().await {
            Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
            _ => break,
        }
    }
    bytes.truncate(SNIPPET);
    let text = String::from_utf8_lossy(&bytes);
    text.trim_end_matches('\u{FFFD}').to_owned()
}

/// An error and its causes, on one line ("timed out", "connection refused", …).
fn describe(err: &reqwest::Error) -> String {
    if err.is_timeout() {
        return "timed out".into();
    }
    let mut text = String::from(if err.is_connect() {
        "could not connect"
    } else {
        "request failed"
    });
    let mut cause = std::error::Error::source(err);
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_hmac_sha256_of_timestamp_dot_body() {
        // Computed apart: Python's hmac.new(b"key", b"1700000000.{}", hashlib.sha256).
        assert_eq!(
            signature("key", "1700000000", "{}"),
            "sha256=9d713ed406bb7076d4123f0dc2c39d2df5c654ed4b0cd56b52c8b4c940bd63ae"
        );
    }

    #[test]
    fn retries_back_off_then_stop() {
        assert_eq!(retry_at(1, 0), Some(10_000));
        assert_eq!(retry_at(2, 0), Some(60_000));
        assert_eq!(retry_at(6, 100), Some(21_600_100));
        assert_eq!(retry_at(7, 0), None);
        assert_eq!(retry_at(0, 0), None);
    }
}
