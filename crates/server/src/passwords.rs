//! Password hashing and checking (argon2id) on a pool the size of the machine's cores.
//! Each hash takes about 19 MiB for tens of milliseconds, so what a crowd of logins can make
//! the server hold is bounded here: at most one hash per core runs, a bounded number wait,
//! and beyond that a request is refused at once with 503 and Retry-After. The hashes run on
//! the pool's own long-lived threads, not tokio's blocking pool: the allocator keeps a
//! thread's freed 19 MiB for that thread, so hashing on ever new threads let memory climb
//! with every crowd (78 MB to 550 MB over 240 logins), while a fixed set of threads holds
//! at most one hash's worth each.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use switchboard_engine::Password;
use tokio::sync::Semaphore;

use crate::error::{ApiError, ApiResult};

/// Hashes a password with argon2id (default parameters). CPU-heavy: run it through
/// [`Passwords`] on a server; called directly only where nothing else runs (seeding, the CLI).
pub fn hash_password(password: &Password) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.expose().as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing password: {e}"))
}

fn matches(hash: &str, attempt: &Password) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(attempt.expose().as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to verify against when the login name is unknown, so that an unknown name costs
/// as much time as a wrong password and reveals nothing.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        let decoy = Password::parse("decoy-password-never-valid").expect("valid literal");
        hash_password(&decoy).unwrap_or_default()
    })
}

type Job = Box<dyn FnOnce() + Send>;

/// The pool. Shared by every request of the server.
pub struct Passwords {
    running: Arc<Semaphore>,
    /// Jobs for the worker threads, which end when this (the only sender) is dropped.
    jobs: std::sync::Mutex<std::sync::mpsc::Sender<Job>>,
    workers: usize,
    /// Requests admitted (running or waiting); at most `workers + waiting`.
    admitted: AtomicUsize,
    waiting: usize,
    /// Most hashes that ever ran at once (for tests and the curious).
    peak: AtomicUsize,
    busy: Arc<AtomicUsize>,
}

/// Gives an admission back when the request finishes or is dropped.
struct Admitted<'a>(&'a AtomicUsize);

impl Drop for Admitted<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Passwords {
    /// `workers` hashes at once, `waiting` more in line.
    pub fn new(workers: usize, waiting: usize) -> Self {
        let workers = workers.max(1);
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let queue = Arc::new(std::sync::Mutex::new(queue));
        for i in 0..workers {
            let queue = queue.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("password-{i}"))
                .spawn(move || loop {
                    let job = queue.lock().unwrap_or_else(|p| p.into_inner()).recv();
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a password worker");
            }
        }
        Self {
            running: Arc::new(Semaphore::new(workers)),
            jobs: std::sync::Mutex::new(jobs),
            workers,
            admitted: AtomicUsize::new(0),
            waiting,
            peak: AtomicUsize::new(0),
            busy: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// One worker per core, eight requests waiting per worker.
    pub fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self::new(cores, 8 * cores)
    }

    /// Whether `attempt` matches the stored `hash`; a malformed hash never matches.
    pub async fn verify(&self, hash: String, attempt: Password) -> ApiResult<bool> {
        let _admitted = self.admit()?;
        self.run(move || matches(&hash, &attempt)).await
    }

    /// A new hash of `password`, refused with 503 when the pool is full.
    pub async fn hash(&self, password: Password) -> ApiResult<String> {
        let _admitted = self.admit()?;
        self.run(move || hash_password(&password))
            .await?
            .map_err(ApiError::from)
    }

    /// A new hash of `password` for a bulk job that already holds its request: it waits
    /// for a worker instead of being refused, and still never runs beside more than the pool.
    pub async fn hash_waiting(&self, password: Password) -> ApiResult<String> {
        self.run(move || hash_password(&password))
            .await?
            .map_err(ApiError::from)
    }

    /// The most hashes that ran at the same moment since the server started.
    pub fn peak_running(&self) -> usize {
        self.peak.load(Ordering::Acquire)
    }

    fn admit(&self) -> ApiResult<Admitted<'_>> {
        let before = self.admitted.fetch_add(1, Ordering::AcqRel);
        let guard = Admitted(&self.admitted);
        if before >= self.workers + self.waiting {
            return Err(ApiError::Busy { retry_after_s: 1 });
        }
        Ok(guard)
    }

    async fn run<R: Send + 'static>(
        &self,
        job: impl FnOnce() -> R + Send + 'static,
    ) -> ApiResult<R> {
        let permit = self
            .running
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| anyhow::anyhow!("password pool closed: {e}"))?;
        let now = self.busy.fetch_add(1, Ordering::AcqRel) + 1;
        self.peak.fetch_max(now, Ordering::AcqRel);
        let busy = self.busy.clone();
        let (reply, answer) = tokio::sync::oneshot::channel();
        // The worker is held until the hash is done, even if the request goes away meanwhile.
        let task: Job = Box::new(move || {
            let out = job();
            busy.fetch_sub(1, Ordering::AcqRel);
            drop(permit);
            let _ = reply.send(out);
        });
        let sent = self
            .jobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .send(task);
        sent.map_err(|_| ApiError::from(anyhow::anyhow!("password workers stopped")))?;
        answer
            .await
            .map_err(|e| ApiError::from(anyhow::anyhow!("password job failed: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pw() -> Password {
        Password::parse("correct horse battery").expect("valid")
    }

    #[tokio::test]
    async fn a_crowd_runs_one_hash_per_worker_and_the_rest_is_refused() {
        let pool = Arc::new(Passwords::new(2, 3));
        let hash = hash_password(&pw()).expect("hash");
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let pool = pool.clone();
                let hash = hash.clone();
                tokio::spawn(async move { pool.verify(hash, pw()).await })
            })
            .collect();
        let (mut ok, mut busy) = (0, 0);
        for t in tasks {
            match t.await.expect("task") {
                Ok(true) => ok += 1,
                Err(ApiError::Busy { retry_after_s }) => {
                    assert!(retry_after_s >= 1);
                    busy += 1;
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        assert!(ok >= 5, "workers plus waiting places are served: {ok}");
        assert_eq!(ok + busy, 20);
        assert!(busy > 0, "beyond the line, requests are refused");
        assert!(pool.peak_running() <= 2, "peak {}", pool.peak_running());
        assert_eq!(
            pool.admitted.load(Ordering::Acquire),
            0,
            "every admission given back"
        );
    }

    #[tokio::test]
    async fn wrong_and_malformed_hashes_do_not_match() {
        let pool = Passwords::new(1, 1);
        let hash = pool.hash(pw()).await.expect("hash");
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        let other = Password::parse("another password").expect("valid");
        assert!(!pool.verify(hash.clone(), other).await.expect("ran"));
        assert!(pool.verify(hash, pw()).await.expect("ran"));
        assert!(!pool.verify("not a hash".into(), pw()).await.expect("ran"));
    }
}
