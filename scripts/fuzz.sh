#!/usr/bin/env bash
# Runs every fuzz target (fuzz/fuzz_targets/) for FUZZ_SECONDS each, one after another, on
# its seeds (fuzz/seeds/<target>/) and its kept crashes (fuzz/regressions/<target>/); new
# corpus entries go to the git-ignored fuzz/corpus/<target>/. Fails when a target crashes;
# libFuzzer then leaves the input in fuzz/artifacts/<target>/.
#
#   FUZZ_SECONDS=300 scripts/fuzz.sh                 # make fuzz (AddressSanitizer)
#   FUZZ_SECONDS=5 FUZZ_SANITIZER=none scripts/fuzz.sh   # make fuzz-smoke
#   scripts/fuzz.sh sip_message sdp                  # only these targets
#
# cargo-fuzz is installed pinned into .tools/ when missing. No nightly toolchain is needed:
# the sanitizer flags are unstable, so the stable compiler is told to accept them with
# RUSTC_BOOTSTRAP=1 (set for this script's builds only).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
CARGO=${CARGO:-cargo}
CARGO_FUZZ_VERSION=0.13.2
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_SANITIZER=${FUZZ_SANITIZER:-address}
# Extra cargo-fuzz build flags, e.g. FUZZ_BUILD_FLAGS=--dev.
FUZZ_BUILD_FLAGS=${FUZZ_BUILD_FLAGS:-}

if [ "$(.tools/bin/cargo-fuzz --version 2>/dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
    echo "fuzz: installing cargo-fuzz $CARGO_FUZZ_VERSION into .tools/"
    "$CARGO" install --locked "cargo-fuzz@$CARGO_FUZZ_VERSION" --root .tools
fi
export PATH="$ROOT/.tools/bin:$PATH"
export RUSTC_BOOTSTRAP=1

# The longest input each target is given: what the product accepts or a little more, kept
# small enough that the time goes to structure rather than length.
max_len() {
    case "$1" in
        chat_frame) echo 8192 ;;
        sheet_csv) echo 16384 ;;
        sheet_xlsx) echo 131072 ;;
        ticket_field) echo 4096 ;;
        search_query) echo 4096 ;;
        sip_message) echo 8192 ;;
        sdp) echo 4096 ;;
        digest) echo 2048 ;;
        rtp) echo 8192 ;;
        *) echo 4096 ;;
    esac
}

if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo-fuzz list --fuzz-dir fuzz)
fi

# One build of every target (one cargo invocation), then the runs.
# shellcheck disable=SC2086 # FUZZ_BUILD_FLAGS is a list of flags
cargo-fuzz build --fuzz-dir fuzz --sanitizer "$FUZZ_SANITIZER" $FUZZ_BUILD_FLAGS

failed=()
for target in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
    [ -d "fuzz/seeds/$target" ] || { echo "fuzz: no fuzz/seeds/$target" >&2; exit 1; }
    [ -d "fuzz/regressions/$target" ] || { echo "fuzz: no fuzz/regressions/$target" >&2; exit 1; }
    echo "fuzz: $target for ${FUZZ_SECONDS}s"
    # shellcheck disable=SC2086
    if ! cargo-fuzz run --fuzz-dir fuzz --sanitizer "$FUZZ_SANITIZER" $FUZZ_BUILD_FLAGS "$target" \
        "fuzz/corpus/$target" "fuzz/seeds/$target" "fuzz/regressions/$target" -- \
        -max_total_time="$FUZZ_SECONDS" -max_len="$(max_len "$target")" -timeout=30 \
        -rss_limit_mb=4096 -print_final_stats=1 2>"fuzz/artifacts/$target.log"; then
        failed+=("$target")
        tail -n 60 "fuzz/artifacts/$target.log" >&2
    fi
    grep -E '^stat::number_of_executed_units|^stat::new_units_added' "fuzz/artifacts/$target.log" | sed "s/^/fuzz: $target /" || true
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz: crashed: ${failed[*]} (inputs in fuzz/artifacts/<target>/; fix, then keep each in fuzz/regressions/<target>/)" >&2
    exit 1
fi
echo "fuzz: ${#targets[@]} targets ran ${FUZZ_SECONDS}s each without a crash"
