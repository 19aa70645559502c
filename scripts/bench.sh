#!/usr/bin/env bash
# Performance figures of the real binary (issue: performance). Builds
# roster, runs it against the fake servers with injected latency next to a
# sequential 20-rows-per-request baseline in the same run, and prints one
# Markdown table. Then the Go benchmarks (decoding, pager, filter, View).
# Usage: scripts/bench.sh [-quick]   (-quick extrapolates the slowest baseline)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
go build -o "$out/roster" .
go run ./internal/benchreport -roster "$out/roster" "$@"
echo
go test -run '^$' -bench . -benchmem -benchtime 20x ./client/... ./tui/ 2>&1 | grep -E '^(Benchmark|ok|FAIL|pkg)'
