# Switchboard: `make run` starts the demo, `make test` runs every check. Both install what
# is missing first (see scripts/setup.sh).

CARGO ?= cargo
SWITCHBOARD_FLAGS ?= --demo --demo-history 14

.PHONY: run test soak fuzz fuzz-smoke bench bench-voice setup setup-test ui ui-test lint rust-test e2e api-conformance clean

run: setup ui
	$(CARGO) build --release -p switchboard
	./target/release/switchboard serve $(SWITCHBOARD_FLAGS)

test: setup-test lint ui-test ui rust-test fuzz-smoke e2e api-conformance
	@echo "make test: all checks passed"

setup:
	./scripts/setup.sh

setup-test:
	./scripts/setup.sh --test
	./scripts/check-postgres.sh

ui:
	cd web && npm run build

ui-test:
	cd web && npm run typecheck && npm run lint && npm test

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

rust-test:
	$(CARGO) test --workspace

# The browser tests start the debug binary, which embeds web/dist (built first by `ui`).
e2e: ui
	$(CARGO) build -p switchboard
	cd web && SWITCHBOARD_BIN=../target/debug/switchboard npm run e2e

# schemathesis against the OpenAPI document on a running demo server, SQLite and PostgreSQL
# (bounded: SCHEMATHESIS_EXAMPLES per operation, default 10; about a minute each).
api-conformance: e2e
	./scripts/api-conformance.sh ./target/debug/switchboard

# Crash durability, long form: 100 SIGKILLs under load on SQLite and on PostgreSQL
# (`make test` runs the same test with 3).
soak:
	SWITCHBOARD_SOAK_KILLS=100 $(CARGO) test -p switchboard --test crash -- --nocapture --test-threads=1

# Fuzzing, long form: every target in fuzz/fuzz_targets/ for FUZZ_SECONDS (default 300) under
# AddressSanitizer, one after another, on its seeds and kept regressions (scripts/fuzz.sh).
fuzz:
	FUZZ_SECONDS=$${FUZZ_SECONDS:-300} ./scripts/fuzz.sh

# Fuzzing, `make test`'s short form: every target for 5 s, built without a sanitizer in the
# dev profile (`--dev`: debug assertions and overflow checks on, no optimisation). The fuzz
# crate builds the server and all its dependencies again with coverage instrumentation, and
# that build is the cost. From a fresh fuzz/target on a 2-core machine shared with other
# builds (load 5-8), the optimised AddressSanitizer build took 18.6 min wall and 695 s of CPU;
# this dev build (line tables only, fuzz/Cargo.toml) 7.2 min wall and 245 s of CPU, and the
# whole smoke step 8.1 min (the runs under 1 min), so about 3 min on an idle 2-core runner.
# ASan stays in `make fuzz`, where the long runs repay its build.
fuzz-smoke:
	FUZZ_SECONDS=5 FUZZ_SANITIZER=none FUZZ_BUILD_FLAGS=--dev ./scripts/fuzz.sh

# Benchmarks of the release build; figures go to BENCHMARKS.md (medians of several runs on
# an otherwise idle machine). The voice benchmarks start the release server as a child and
# need sipp, rtpengine and sippy (`setup.sh --bench` installs what is missing).
bench: bench-voice
	$(CARGO) build --release -p switchboard-bench
	./target/release/switchboard-bench routing --agents 50000 --queues 5000 --contacts 500000
	RUST_LOG=warn ./target/release/switchboard-bench offers --agents 100 --rate 1000 --seconds 5
	RUST_LOG=warn ./target/release/switchboard-bench chat --customers 10000 --agents 200 --rate 2000 --seconds 5
	RUST_LOG=warn ./target/release/switchboard-bench tickets --tickets 1000000 --database sqlite
	RUST_LOG=warn ./target/release/switchboard-bench tickets --tickets 1000000 --database postgres
	RUST_LOG=warn ./target/release/switchboard-bench reports --database sqlite
	RUST_LOG=warn ./target/release/switchboard-bench reports --database postgres

# The voice benchmarks alone (a few minutes in all).
bench-voice:
	./scripts/setup.sh --bench
	$(CARGO) build --release -p switchboard -p switchboard-bench
	RUST_LOG=warn ./target/release/switchboard-bench voice-direct --rates 100,200,300,400,500,600,800,1000,1250,1500,2000 --seconds 4
	RUST_LOG=warn ./target/release/switchboard-bench voice-queue --agents 200 --rate 100 --seconds 5
	RUST_LOG=warn ./target/release/switchboard-bench voice-concurrent --calls 500 --rate 100 --hold-ms 12000
	RUST_LOG=warn ./target/release/switchboard-bench voice-media --calls 200 --seconds 20
	RUST_LOG=warn ./target/release/switchboard-bench voice-conference --conferences 250 --rate 50 --seconds 20

clean:
	$(CARGO) clean
	rm -rf fuzz/target fuzz/corpus fuzz/artifacts
	rm -rf web/dist web/node_modules
