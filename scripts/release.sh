#!/usr/bin/env bash
# Builds roster's release binaries: static (CGO off), stamped with the
# version, commit and date, for every platform an admin copies roster to,
# into dist/ with a SHA256SUMS file.
#
# Usage: scripts/release.sh [VERSION] [PLATFORM...]
#   VERSION   default: `git describe --tags --always --dirty`
#   PLATFORM  GOOS/GOARCH; default: every platform below
# DIST=dir puts the binaries elsewhere (default: dist/).
#
# Each binary is one file: copy it to a server (scp roster-linux-amd64
# host:/usr/local/bin/roster) and run it; nothing else is needed.
set -euo pipefail
cd "$(dirname "$0")/.."

version=${1:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
[ $# -gt 0 ] && shift
platforms=("$@")
[ ${#platforms[@]} -gt 0 ] || platforms=(linux/amd64 linux/arm64 darwin/arm64 darwin/amd64 windows/amd64)
commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
# The commit's time, not the wall clock: the same commit builds the same
# bytes (with -trimpath), so SHA256SUMS can be checked by rebuilding.
date=$(git log -1 --format=%cI 2>/dev/null || date -u +%Y-%m-%dT%H:%M:%SZ)
dist=${DIST:-dist}

mkdir -p "$dist"
ldflags="-s -w -X main.version=$version -X main.commit=$commit -X main.date=$date"
names=()
for p in "${platforms[@]}"; do
  os=${p%/*} arch=${p#*/}
  name="roster-$os-$arch"
  [ "$os" = windows ] && name="$name.exe"
  echo "building $dist/$name ($version)"
  CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -ldflags "$ldflags" -o "$dist/$name" .
  names+=("$name")
done
sum="sha256sum"
command -v sha256sum >/dev/null 2>&1 || sum="shasum -a 256" # macOS
(cd "$dist" && $sum "${names[@]}" >SHA256SUMS)
echo "wrote $dist/SHA256SUMS"
