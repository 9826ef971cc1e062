//! Where call recordings live: a small trait, and its file-system implementation under the
//! data directory (`recordings/<tenant>/<call record>.wav`). Ids are UUIDs we make, so a
//! path never carries anything a caller wrote.

use std::fs::{self, File};
use std::io::{self, BufWriter};
use std::path::PathBuf;

use switchboard_engine::TenantId;
use uuid::Uuid;

pub type RecordingFile = BufWriter<File>;

pub trait RecordingStore: Send + Sync {
    /// A new recording for writing (the media runner writes as the call goes).
    fn create(&self, tenant: TenantId, call: Uuid) -> io::Result<RecordingFile>;
    /// The path of a finished or growing recording, for playback.
    fn path(&self, tenant: TenantId, call: Uuid) -> PathBuf;
}

pub struct FileRecordings {
    pub root: PathBuf,
}

impl RecordingStore for FileRecordings {
    fn create(&self, tenant: TenantId, call: Uuid) -> io::Result<RecordingFile> {
        let path = self.path(tenant, call);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        // Buffered: the recorder writes 320 bytes a tick and settles its header each second.
        Ok(BufWriter::with_capacity(32 * 1024, File::create(path)?))
    }

    fn path(&self, tenant: TenantId, call: Uuid) -> PathBuf {
        self.root
            .join(tenant.0.to_string())
            .join(format!("{call}.wav"))
    }
}
