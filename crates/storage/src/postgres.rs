//! The PostgreSQL backend, for tenants that outgrow one machine's embedded database.

use sqlx::postgres::PgPoolOptions;
use sqlx::{Pool, Postgres};

use crate::Result;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// PostgreSQL storage. PostgreSQL handles concurrent writers itself, so one pool serves both.
pub struct PgStore {
    pub(crate) writer: Pool<Postgres>,
    pub(crate) reader: Pool<Postgres>,
}

impl PgStore {
    /// Connects to `url` and migrates the database.
    pub async fn connect(url: &str) -> Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .connect(url)
            .await?;
        let exists: Option<String> =
            sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations')::text")
                .fetch_one(&pool)
                .await?;
        let newest = match exists {
            Some(_) => {
                sqlx::query_scalar(crate::migrate::NEWEST_APPLIED)
                    .fetch_one(&pool)
                    .await?
            }
            None => 0,
        };
        crate::migrate::run(&MIGRATOR, &pool, newest).await?;
        Ok(Self {
            writer: pool.clone(),
            reader: pool,
        })
    }
}

crate::common::impl_storage!(PgStore, sqlx::Postgres);
crate::tickets::impl_ticket_config!(PgStore);
crate::tickets::impl_ticket_store!(PgStore, sqlx::Postgres, Dialect::Postgres);
