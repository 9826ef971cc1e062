#!/usr/bin/env bash
# API robustness: schemathesis (PyPI) drives every operation of /api/openapi.json on a
# running demo server, signed in as the demo admin, once on SQLite and once on a fresh
# PostgreSQL database. It fails on any server error, any status code the document does not
# list, and any response that breaks its documented schema. (Its checks that every
# schema-valid request is accepted are left out: names, ranges and cross-field rules are
# validated beyond what the schema can say.)
#
# Usage: scripts/api-conformance.sh BINARY   (SCHEMATHESIS_EXAMPLES per operation, default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(realpath "${1:?usage: api-conformance.sh path/to/switchboard}")"
examples="${SCHEMATHESIS_EXAMPLES:-10}"
venv=.venv-test
# The server part of the test database URL (as in check-postgres.sh), without the database.
pg_url="${SWITCHBOARD_TEST_PG:-postgres://postgres@127.0.0.1:5432/postgres}"
pg_base="${pg_url%/*}"

if [ ! -x "$venv/bin/schemathesis" ]; then
    echo "api-conformance: installing schemathesis into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check schemathesis==4.32.5
fi

work="$(mktemp -d)"
server_pid=""
pg_db=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    [ -n "$pg_db" ] && psql -q "$pg_base/postgres" -c "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT

# Starts the demo server with extra arguments; sets $base once it listens.
start() {
    local log="$work/server-$1.log"
    shift
    "$bin" serve --demo --http 127.0.0.1:0 --sip 127.0.0.1:0 "$@" >"$log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 300); do
        base="$(sed -n 's|^listening on \(http://[0-9.:]*\).*|\1|p' "$log" | head -1)"
        [ -n "$base" ] && return 0
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "api-conformance: the server did not start:" >&2
    cat "$log" >&2
    exit 1
}

stop() {
    kill "$server_pid" && wait "$server_pid" 2>/dev/null || true
    server_pid=""
}

run() {
    local name="$1"
    local token
    token="$(curl -sf "$base/api/v1/auth/login" -H 'content-type: application/json' \
        -d '{"tenant":"demo","login":"admin","password":"switchboard"}' |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
    echo "api-conformance ($name): $examples examples per operation against $base"
    # Logout and the password change would end the session the run signs in with.
    "$venv/bin/schemathesis" run "$base/api/openapi.json" \
        --header "Authorization: Bearer $token" \
        --max-examples "$examples" \
        --generation-deterministic \
        --continue-on-failure \
        --exclude-path /api/v1/auth/logout \
        --exclude-path /api/v1/auth/password \
        --exclude-checks positive_data_acceptance,negative_data_rejection \
        --report junit --report-junit-path "$work/$name.xml" \
        >"$work/$name.txt" 2>&1 || {
        cat "$work/$name.txt"
        echo "api-conformance ($name): FAILED" >&2
        exit 1
    }
    grep -E "^(API Operations|  Tested|Test cases|  [0-9]+ generated)" -A1 "$work/$name.txt" | grep -vE '^--$' || true
    tail -1 "$work/$name.txt"
}

start sqlite --data "$work/sqlite"
run sqlite
stop

pg_db="sb_conformance_$$"
psql -q "$pg_base/postgres" -c "CREATE DATABASE $pg_db" >/dev/null
start postgres --database-url "$pg_base/$pg_db"
run postgres
stop
echo "api-conformance: 0 server errors, 0 undocumented status codes, 0 schema violations on SQLite and PostgreSQL"
