//! Storage errors, in terms the server can map to HTTP without knowing the database.

/// What went wrong in storage.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The record does not exist in this tenant.
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was broken (e.g. a login name already taken).
    #[error("already exists: {0}")]
    Conflict(String),
    /// The record is still referenced and cannot be removed, or refers to something missing.
    #[error("still in use or refers to a missing record: {0}")]
    Reference(String),
    /// The record changed since it was read (its version moved on); nothing was written.
    #[error("changed by someone else in the meantime")]
    Stale,
    /// The database was migrated by a newer Switchboard; we refuse to touch it.
    #[error("the database schema (version {found}) is newer than this Switchboard knows (version {known}); upgrade Switchboard")]
    SchemaTooNew { found: i64, known: i64 },
    /// A stored value breaks a domain rule: the database was edited outside Switchboard.
    #[error("corrupt record: {0}")]
    Corrupt(String),
    /// The database's lease is no longer held (`Lease::check`).
    #[error("the database lease is no longer held")]
    LeaseLost,
    /// Anything else from the database driver: logged, never shown to users.
    #[error("database error: {0}")]
    Backend(#[source] sqlx::Error),
}

pub type Result<T, E = StorageError> = std::result::Result<T, E>;

impl From<sqlx::Error> for StorageError {
    fn from(err: sqlx::Error) -> Self {
        use sqlx::error::ErrorKind;
        match &err {
            sqlx::Error::RowNotFound => StorageError::NotFound,
            sqlx::Error::Database(db) => match db.kind() {
                ErrorKind::UniqueViolation => StorageError::Conflict(constraint_of(db.as_ref())),
                ErrorKind::ForeignKeyViolation => {
                    StorageError::Reference(constraint_of(db.as_ref()))
                }
                _ => StorageError::Backend(err),
            },
            _ => StorageError::Backend(err),
        }
    }
}

fn constraint_of(db: &dyn sqlx::error::DatabaseError) -> String {
    db.constraint()
        .map(str::to_owned)
        .unwrap_or_else(|| db.message().to_owned())
}
