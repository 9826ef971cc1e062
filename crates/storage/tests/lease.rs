//! One server at a time holds a database's lease: a second try is refused while the first
//! holds it, and succeeds once the holder lets go or dies.
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use std::sync::Arc;
use std::time::Duration;

use switchboard_storage::testing::PgTestDb;
use switchboard_storage::{open, Lease, Location, Storage};

/// Two stores on one database, as two servers would open it.
async fn twice(location: Location<'_>) -> (Arc<dyn Storage>, Arc<dyn Storage>) {
    (
        open(location.clone()).await.unwrap(),
        open(location).await.unwrap(),
    )
}

/// The lease, asked for every 100 ms for up to five seconds (a dead holder's lock goes
/// when the database notices).
async fn lease_soon(store: &dyn Storage) -> Box<dyn Lease> {
    for _ in 0..50 {
        if let Some(lease) = store.try_lease().await.unwrap() {
            return lease;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the lease never came free");
}

async fn one_holder_at_a_time(a: &dyn Storage, b: &dyn Storage) {
    let mut held = a
        .try_lease()
        .await
        .unwrap()
        .expect("a free lease is granted");
    assert!(b.try_lease().await.unwrap().is_none(), "refused while held");
    assert!(
        a.try_lease().await.unwrap().is_none(),
        "refused to the holder's own process too"
    );
    held.check().await.unwrap();
    drop(held);
    let held = lease_soon(b).await;
    assert!(a.try_lease().await.unwrap().is_none(), "b holds it now");
    held.release().await.unwrap();
    let held = a.try_lease().await.unwrap();
    assert!(held.is_some(), "free again at once after a release");
}

#[tokio::test]
async fn sqlite_grants_one_lease_per_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = twice(Location::DataDir(dir.path())).await;
    one_holder_at_a_time(a.as_ref(), b.as_ref()).await;
}

#[tokio::test]
async fn postgres_grants_one_lease_per_database() {
    let Some(db) = PgTestDb::create().await else {
        return;
    };
    let (a, b) = twice(Location::Postgres(&db.url)).await;
    one_holder_at_a_time(a.as_ref(), b.as_ref()).await;
    let Some(other) = PgTestDb::create().await else {
        return;
    };
    let held = a.try_lease().await.unwrap().unwrap();
    let elsewhere = open(Location::Postgres(&other.url)).await.unwrap();
    assert!(
        elsewhere.try_lease().await.unwrap().is_some(),
        "another database on the same PostgreSQL has a lease of its own"
    );
    drop(held);
}

#[tokio::test]
async fn a_postgres_holder_notices_when_its_session_dies() {
    let Some(db) = PgTestDb::create().await else {
        return;
    };
    let (a, b) = twice(Location::Postgres(&db.url)).await;
    let mut held = a.try_lease().await.unwrap().unwrap();
    held.check().await.unwrap();
    let admin = sqlx::PgPool::connect(&db.url).await.unwrap();
    let killed: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND application_name = 'switchboard lease'",
    )
    .fetch_all(&admin)
    .await
    .unwrap();
    assert_eq!(killed, [true], "one lease session");
    assert!(
        held.check().await.is_err(),
        "the holder learns it lost the lease"
    );
    drop(lease_soon(b.as_ref()).await);
    admin.close().await;
}
