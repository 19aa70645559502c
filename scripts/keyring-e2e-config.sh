#!/bin/sh
# Real-keyring checks for roster's token store, in a private Secret Service session.
#
# Usage: sh scripts/keyring-e2e-config.sh [ROSTER_BINARY]
#
# Always runs the config package's RealKeyring tests (round trip checked with
# secret-tool, no token in any file, no session bus, frozen daemon). Given a
# built roster binary it also checks the binary against the same keyring:
# `auth status --json` reports a token that secret-tool stored as source
# "keyring", `auth logout` removes it, and with the Secret Service frozen
# (SIGSTOP) `auth status` still returns promptly instead of hanging.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")

if [ "${ROSTER_IN_KEYRING_SESSION:-}" != 1 ]; then
  bin=""
  if [ $# -ge 1 ]; then
    case "$1" in /*) bin=$1 ;; *) bin=$(pwd)/$1 ;; esac
    [ -x "$bin" ] || { echo "keyring-e2e-config: $bin is not an executable" >&2; exit 2; }
  fi
  exec timeout 300 dbus-run-session -- sh "$here/keyring-session.sh" \
    env ROSTER_IN_KEYRING_SESSION=1 sh "$here/keyring-e2e-config.sh" $bin
fi

cd "$root"
echo "== config: RealKeyring tests"
KEYRING_IT=1 go test -count=1 -v -run RealKeyring ./config/

[ $# -ge 1 ] || exit 0
bin=$1
echo "== roster binary against the real keyring: $bin"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
unset QFIELDCLOUD_TOKEN QOMON_TOKEN ROSTER_PROFILE QFIELDCLOUD_URL QOMON_URL 2>/dev/null || true
export ROSTER_CONFIG_DIR="$dir/cfg"
mkdir -m 700 "$ROSTER_CONFIG_DIR"
# Port 9 (discard) on loopback: nothing answers, so validation fails fast and offline.
cat > "$ROSTER_CONFIG_DIR/config.toml" <<'TOML'
active = "it"

[profiles.it]
provider = "qomon"
url = "http://127.0.0.1:9"
TOML
chmod 600 "$ROSTER_CONFIG_DIR/config.toml"
token=e2e-token-$$-keyring
printf '%s' "$token" | secret-tool store --label="roster it" service roster username it

fail() { echo "keyring-e2e-config: FAIL: $*" >&2; exit 1; }

out=$(timeout 30 "$bin" auth status --json 2>"$dir/err") || true
echo "$out"
echo "$out" | grep -Eq '"token_source": *"keyring"' || { cat "$dir/err" >&2; fail "auth status did not report the keyring token"; }
if grep -rq "$token" "$ROSTER_CONFIG_DIR"; then fail "the token was written under $ROSTER_CONFIG_DIR"; fi

timeout 30 "$bin" auth logout --profile it || fail "auth logout failed"
if secret-tool lookup service roster username it >/dev/null 2>&1; then fail "auth logout left the token in the keyring"; fi

echo "== frozen Secret Service: auth status must give up, not hang"
printf '%s' "$token" | secret-tool store --label="roster it" service roster username it
pid=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
  org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets | awk '/uint32/ {print $2}')
[ -n "$pid" ] || fail "no Secret Service owner"
kill -STOP "$pid"
start=$(date +%s%N)
rc=0; timeout 30 "$bin" auth status >"$dir/out" 2>&1 || rc=$?
end=$(date +%s%N)
kill -CONT "$pid"
elapsed_ms=$(( (end - start) / 1000000 ))
cat "$dir/out"
echo "auth status with a frozen keyring: exit $rc after ${elapsed_ms} ms"
[ "$rc" -ne 124 ] || fail "auth status hung until the 30 s guard"
[ "$elapsed_ms" -lt 10000 ] || fail "auth status took ${elapsed_ms} ms"
grep -qi "keyring" "$dir/out" || fail "auth status did not mention the keyring"
secret-tool clear service roster username it || true
echo "== keyring e2e passed"
