#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what it needs on a bare
# Debian machine, then runs format and vet checks, the unit/command/TUI
# tests under -race, short fuzz runs, the real-keyring tests inside a
# private Secret Service session, and the end-to-end tests of the built
# binary in tmux. Must stay well under 15 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."

need_pkgs=()
command -v dbus-run-session >/dev/null 2>&1 || need_pkgs+=(dbus dbus-user-session)
command -v gnome-keyring-daemon >/dev/null 2>&1 || need_pkgs+=(gnome-keyring)
command -v secret-tool >/dev/null 2>&1 || need_pkgs+=(libsecret-tools)
command -v tmux >/dev/null 2>&1 || need_pkgs+=(tmux)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  echo "== installing: ${need_pkgs[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  # never dbus-x11: it makes godbus spawn daemons that outlive the tests
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    dbus dbus-user-session gnome-keyring libsecret-tools tmux >/dev/null
fi

echo "== gofmt, go vet"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then echo "gofmt needed:"; echo "$unformatted"; exit 1; fi
go vet ./...

echo "== cross-builds: macOS and Windows (roster is installed there too)"
GOOS=darwin GOARCH=arm64 go build -o /dev/null .
GOOS=windows GOARCH=amd64 go build -o /dev/null .

echo "== unit, command and TUI tests (-race)"
go test -race -count=1 ./...

echo "== fuzz targets (short runs; corpora in testdata/fuzz)"
# An execution count, not a duration: with go1.26 a duration -fuzztime can
# fail spuriously with "context deadline exceeded" when the deadline races a
# busy worker (golang/go#75804, fixed in go1.27). A count has no deadline.
FUZZTIME=${FUZZTIME:-10000x}
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for target in $(grep -hoE '^func (Fuzz[A-Za-z0-9_]+)\(' "$dir"/*_test.go 2>/dev/null | sed -E 's/^func (Fuzz[A-Za-z0-9_]+)\(/\1/' | sort -u); do
    echo "-- $pkg $target"
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" "$pkg" >/tmp/roster-fuzz.log 2>&1 || { cat /tmp/roster-fuzz.log; exit 1; }
  done
done

echo "== real keyring (private Secret Service session)"
timeout 300 dbus-run-session -- sh scripts/keyring-session.sh env KEYRING_IT=1 \
  go test -count=1 -run RealKeyring ./config/ ./e2e/

echo "== end-to-end: the built binary in tmux"
E2E=1 go test -count=1 -timeout 600s ./e2e/

echo "== all tests passed"
