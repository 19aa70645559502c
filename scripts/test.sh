#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what it needs on a bare
# Debian machine, then runs format and vet checks, cross-builds, the
# unit/command/TUI tests under -race, short fuzz runs, the real-keyring
# tests inside a private Secret Service session, and the end-to-end tests
# of the built binary in tmux.
#
# Every step runs even when an earlier one failed, so one run shows every
# failure; the script exits non-zero if any step failed. Temporary files
# live in a fresh directory removed at exit.
set -uo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d "${TMPDIR:-/tmp}/roster-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

failed=()
started=$(date +%s)

# step NAME CMD...: runs one step, times it, and records a failure.
step() {
  local name=$1
  shift
  local t0=$(date +%s)
  echo "== $name"
  if "$@"; then
    echo "-- $name: ok ($(( $(date +%s) - t0 )) s)"
  else
    echo "-- $name: FAILED ($(( $(date +%s) - t0 )) s)"
    failed+=("$name")
  fi
}

install_deps() {
  local need=()
  command -v dbus-run-session >/dev/null 2>&1 || need+=(dbus dbus-user-session)
  command -v gnome-keyring-daemon >/dev/null 2>&1 || need+=(gnome-keyring)
  command -v secret-tool >/dev/null 2>&1 || need+=(libsecret-tools)
  command -v tmux >/dev/null 2>&1 || need+=(tmux)
  [ ${#need[@]} -eq 0 ] && return 0
  echo "installing: ${need[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq || return 1
  # never dbus-x11: it makes godbus spawn daemons that outlive the tests
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    dbus dbus-user-session gnome-keyring libsecret-tools tmux >/dev/null
}

format_vet() {
  local unformatted
  unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
  if [ -n "$unformatted" ]; then
    echo "gofmt needed:"
    echo "$unformatted"
    return 1
  fi
  go vet ./...
}

cross_builds() {
  # macOS and Windows: roster is installed there too.
  GOOS=darwin GOARCH=arm64 go build -o /dev/null . &&
    GOOS=windows GOARCH=amd64 go build -o /dev/null .
}

fuzz_all() {
  # An execution count, not a duration: with go1.26 a duration -fuzztime
  # can fail spuriously with "context deadline exceeded" when the deadline
  # races a busy worker (golang/go#75804, fixed in go1.27).
  # 4000 inputs a target keep this step short on a busy 2-core machine;
  # a longer hunt is FUZZTIME=1000000x ./scripts/test.sh.
  local fuzztime=${FUZZTIME:-4000x} ok=0 pkg dir target
  for pkg in $(go list ./...); do
    dir=$(go list -f '{{.Dir}}' "$pkg")
    for target in $(grep -hoE '^func (Fuzz[A-Za-z0-9_]+)\(' "$dir"/*_test.go 2>/dev/null | sed -E 's/^func (Fuzz[A-Za-z0-9_]+)\(/\1/' | sort -u); do
      echo "-- $pkg $target"
      if ! go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" >"$tmp/fuzz.log" 2>&1; then
        cat "$tmp/fuzz.log"
        ok=1
      fi
    done
  done
  return $ok
}

real_keyring() {
  timeout 300 dbus-run-session -- sh scripts/keyring-session.sh env KEYRING_IT=1 \
    go test -count=1 -run RealKeyring ./config/ ./e2e/
}

step "install what the tests need" install_deps
step "gofmt, go vet" format_vet
step "cross-builds: macOS and Windows" cross_builds
# -p 4 on 2 cores: several packages mostly wait (timeouts that end stalled
# requests, backoff), so four at once overlap the waits with CPU work.
step "unit, command and TUI tests (-race)" go test -race -count=1 -p 4 ./...
step "fuzz targets (short runs; corpora in testdata/fuzz)" fuzz_all
step "real keyring (private Secret Service session)" real_keyring
step "end-to-end: the built binary in tmux" env E2E=1 go test -count=1 -timeout 600s ./e2e/

# --- release build (owner: session helper) ---------------------------------
# The release script builds a static, stamped binary for this machine, and
# that binary runs and prints the version it was stamped with.
release_build() {
  local host v=v0.0.0-test.$$
  host="$(go env GOOS)/$(go env GOARCH)"
  DIST="$tmp/dist" scripts/release.sh "$v" "$host" || return 1
  local bin="$tmp/dist/roster-${host%/*}-${host#*/}"
  [ "${host%/*}" = windows ] && bin="$bin.exe"
  (cd "$tmp/dist" && sha256sum -c SHA256SUMS) || return 1
  go version -m "$bin" | grep -q 'CGO_ENABLED=0' || { echo "$bin was built with cgo: not static"; return 1; }
  local out
  out=$("$bin" --version) || return 1
  echo "$out"
  case "$out" in
    "roster $v (commit "*) ;;
    *) echo "the release binary prints $out, not the stamped version $v"; return 1 ;;
  esac
  [ "$("$bin" version | head -n 1)" = "$out" ] || { echo "roster version and --version differ"; return 1; }
}
step "release build for this machine: static, stamped" release_build
# ---------------------------------------------------------------------------

echo "== $(( $(date +%s) - started )) s in all"
if [ ${#failed[@]} -gt 0 ]; then
  echo "== FAILED steps:"
  printf '   - %s\n' "${failed[@]}"
  exit 1
fi
echo "== all tests passed"
