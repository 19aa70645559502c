#!/bin/sh
# Usage: dbus-run-session -- sh keyring-session.sh CMD [ARGS...]
# Inside a private session bus: start gnome-keyring's Secret Service with a throw-away,
# unlocked "login" keyring, wait until it owns org.freedesktop.secrets, run CMD, then stop
# the daemon (so it can never linger holding the caller's stdout/stderr pipe) and clean up.
set -eu
tmp=$(mktemp -d)
export XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/run"   # keyring files / control socket
mkdir -p -m 700 "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
printf '%s' "${KEYRING_PASSWORD:-ci}" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
owner_pid() {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null |
    awk '/uint32/ {print $2}'
}
i=0
until pid=$(owner_pid) && [ -n "$pid" ]; do
  i=$((i+1)); [ "$i" -ge 100 ] && { echo "keyring-session: Secret Service did not appear in 5s" >&2; exit 1; }
  sleep 0.05
done
rc=0; "$@" || rc=$?
kill "$pid" 2>/dev/null || true
alive() { [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status"; }  # a zombie counts as gone
i=0; while alive "$pid" && [ "$i" -lt 100 ]; do i=$((i+1)); sleep 0.02; done
rm -rf "$tmp"
exit "$rc"
