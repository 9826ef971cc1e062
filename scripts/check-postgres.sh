#!/usr/bin/env bash
# Says loudly whether the PostgreSQL halves of the test suite will run. Under CI=true an
# unreachable PostgreSQL is an error (the tests themselves also fail then).
set -uo pipefail
url="${SWITCHBOARD_TEST_PG:-postgres://postgres@127.0.0.1:5432/postgres}"
reachable() { pg_isready -q -d "$url" 2>/dev/null || (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
if ! reachable && [ "$(id -u)" = 0 ] && command -v pg_ctlcluster >/dev/null; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start 2>/dev/null || true
    sleep 2
fi
if reachable; then
    echo "PostgreSQL reachable at ${url%%@*}@…: running every storage and API test on SQLite AND PostgreSQL"
    exit 0
fi
cat >&2 <<MSG

************************************************************************************
*  PostgreSQL is NOT reachable at $url
*  SKIPPED: the PostgreSQL half of every test — storage story suite (on_postgres::*),
*  schema version check (postgres_refuses_a_newer_schema), and all API tests
*  (*::postgres::*). They will report "ok" without having run.
*  Set SWITCHBOARD_TEST_PG to a server with trust auth for user postgres to run them.
************************************************************************************

MSG
if [ "${CI:-}" = "true" ]; then
    echo "CI=true: refusing to skip the PostgreSQL tests" >&2
    exit 1
fi
