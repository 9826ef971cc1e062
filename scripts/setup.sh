#!/usr/bin/env bash
# Installs what `make run` / `make test` / `make bench` need and is missing: Node.js and npm,
# the web UI's npm packages, (for tests) Debian's Chromium, sipp, baresip and lame, and (for the
# voice benchmarks, `--bench`) sipp, rtpengine and sippy's B2BUA in a venv. Debian packages
# are installed only when running as root; otherwise we say what to install.
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=false
want_bench=false
[ "${1:-}" = "--test" ] && want_browser=true
[ "${1:-}" = "--bench" ] && want_bench=true

apt_updated=false
apt_install() {
    if [ "$(id -u)" != 0 ]; then
        echo "setup: missing $*; install it with: sudo apt-get install -y $*" >&2
        exit 1
    fi
    if ! $apt_updated; then
        apt-get update -qq
        apt_updated=true
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

command -v cargo >/dev/null || { echo "setup: Rust (cargo) is required: https://rustup.rs" >&2; exit 1; }
command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
if $want_browser && [ ! -x /usr/bin/chromium ]; then
    echo "setup: installing Debian's chromium for the browser tests"
    apt_install chromium
fi
# The voice tests talk to real SIP peers: sipp (Debian's sip-tester, with its RTP pcaps) and
# baresip (with its aufile, sndfile and ctrl_tcp modules).
if $want_browser && { ! command -v sipp >/dev/null || ! command -v baresip >/dev/null; }; then
    echo "setup: installing Debian's sip-tester and baresip for the voice tests"
    apt_install sip-tester baresip
fi
# The prompt upload tests encode their MP3 fixture at test time with lame.
if $want_browser && ! command -v lame >/dev/null; then
    echo "setup: installing Debian's lame for the prompt upload tests"
    apt_install lame
fi

# The voice benchmarks' peers: sipp, rtpengine (userspace; the bench starts its own instance on
# ports of its own, so the packaged service must not stay running) and sippy's B2BUA in a venv
# under target/ (never system-wide).
if $want_bench; then
    if ! command -v sipp >/dev/null || [ ! -x /usr/bin/rtpengine ]; then
        echo "setup: installing Debian's sip-tester and rtpengine-daemon for the voice benchmarks"
        apt_install sip-tester rtpengine-daemon
        for service in rtpengine-daemon rtpengine-recording-daemon; do
            if command -v systemctl >/dev/null && systemctl is-system-running >/dev/null 2>&1; then
                systemctl disable --now "$service" >/dev/null 2>&1 || true
            else
                service "$service" stop >/dev/null 2>&1 || true
            fi
        done
    fi
    venv=target/bench-venv
    if [ ! -x "$venv/bin/b2bua_simple" ]; then
        echo "setup: installing sippy (PyPI) into $venv"
        python3 -c "import ensurepip" 2>/dev/null || apt_install python3-venv
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet --disable-pip-version-check "sippy==2.5.0"
    fi
    exit 0
fi

# npm ci only when the lock file changed since the last install.
stamp=web/node_modules/.switchboard-lock
if [ ! -f "$stamp" ] || ! cmp -s web/package-lock.json "$stamp"; then
    echo "setup: npm ci in web/"
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
    cp web/package-lock.json "$stamp"
fi
