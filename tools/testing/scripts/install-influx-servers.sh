#!/usr/bin/env bash
# Builds the real InfluxDB servers the tests write to, once per machine, into a version-keyed cache outside the repo:
#   InfluxDB 2.8.0  (Go + libflux, the Rust part of Flux, built by InfluxData's pkg-config wrapper)
#   InfluxDB 1.8.10 (plain Go)
# Debian's influxdb package (1.6.7) stays the server for the 1.x /write path; this script does not touch it.
#
# Idempotent: a present binary is reused when `influxd version` names the expected version; a missing or broken one
# is rebuilt. Each build goes to a temporary directory and is moved into place with one rename, so an interrupted
# build never leaves a half binary at the cached path.
#
# Also checks the Debian packages the tests use (influxdb 1.6.7's influxd, chromium for the status page test) and
# installs them with apt-get when missing and running as root; otherwise it stops with the command that would.
#
# Usage: install-influx-servers.sh [debian|2.8|1.8 ...]      (default: all three)
# Environment (all optional):
#   HOMEIQ_CACHE_DIR   cache root (default $HOME/.cache/homeiq); binaries at $HOMEIQ_CACHE_DIR/influxdb/<version>/influxd
#   HOMEIQ_BUILD_JOBS  parallel Go packages and cargo jobs (default 2)
#
# Prints progress lines prefixed "influx-servers:" on stderr and, on stdout, one line per server:
#   HOMEIQ_INFLUXD_2_8=<path>  and  HOMEIQ_INFLUXD_1_8=<path>
#
# Sources: https://github.com/influxdata/influxdb (go.mod's replace directive is why 2.8 is built from a copy of the
# module, not with `go install …@v2.8.0`), https://github.com/influxdata/pkg-config (builds libflux with cargo),
# https://github.com/influxdata/flux/blob/master/libflux/rust-toolchain.toml (pins an old Rust; we use stable).
set -euo pipefail

CACHE="${HOMEIQ_CACHE_DIR:-$HOME/.cache/homeiq}/influxdb"
JOBS="${HOMEIQ_BUILD_JOBS:-2}"
V2=2.8.0
V1=1.8.10
export GOFLAGS="-mod=mod -buildvcs=false" GOTOOLCHAIN=local

# One install at a time per cache (Nx runs test targets in parallel; jest workers too).
mkdir -p "$CACHE"
exec 9>"$CACHE/.install.lock"
if ! flock -n 9; then
  echo "influx-servers: another install holds $CACHE/.install.lock; waiting for it" >&2
  flock 9
fi
TMP_DIRS=()
# An interrupted build leaves no half binary (it is renamed into place only when complete) and no temp dir.
trap 'for d in "${TMP_DIRS[@]}"; do rm -rf "$d"; done' EXIT

say() { echo "influx-servers: $*" >&2; }
fail() { say "$1"; say "to provision it, run: $2"; exit 1; }
elapsed() { local s=$(($(date +%s) - $1)); printf '%dm%02ds' $((s / 60)) $((s % 60)); }

# True when $1 runs and its `version` output names version $2.
usable() { [[ -x "$1" ]] && "$1" version 2>/dev/null | grep -q "$2"; }

need_go() {
  # InfluxDB 2.8.0's go.mod says `go 1.24.0`; GOTOOLCHAIN=local keeps an older Go from downloading a newer one.
  command -v go >/dev/null 2>&1 || fail "Go is not installed (needed to build InfluxDB from source)" \
    "install Go 1.24 or later from https://go.dev/dl/ (Debian 12's golang-go, 1.19, is too old)"
}

build_1_8() {
  local out="$CACHE/$V1/influxd" tmp start
  if usable "$out" "$V1"; then say "InfluxDB $V1 is ready: $out"; echo "HOMEIQ_INFLUXD_1_8=$out"; return; fi
  need_go
  start=$(date +%s)
  say "building InfluxDB $V1 (plain Go) into $out; cold: about 3 minutes and 65 MiB of Go modules"
  mkdir -p "$CACHE/$V1"
  tmp="$(mktemp -d "$CACHE/$V1/.build.XXXXXX")"
  TMP_DIRS+=("$tmp")
  GOBIN="$tmp" go install -p "$JOBS" -trimpath \
    -ldflags="-s -w -X main.version=$V1 -X main.commit=v$V1 -X main.branch=1.8" \
    "github.com/influxdata/influxdb/cmd/influxd@v$V1" ||
    fail "building InfluxDB $V1 failed (is the Go module proxy reachable?)" "bash $0 1.8"
  usable "$tmp/influxd" "$V1" || fail "the built influxd does not report version $V1" "bash $0 1.8"
  mv -f "$tmp/influxd" "$out"
  say "InfluxDB $V1 built in $(elapsed "$start"): $out"
  echo "HOMEIQ_INFLUXD_1_8=$out"
}

build_2_8() {
  local out="$CACHE/$V2/influxd" tmp start mod
  if usable "$out" "$V2"; then say "InfluxDB $V2 is ready: $out"; echo "HOMEIQ_INFLUXD_2_8=$out"; return; fi
  need_go
  command -v cargo >/dev/null 2>&1 || fail "Rust (cargo) is not installed (needed to build libflux for InfluxDB $V2)" \
    "curl https://sh.rustup.rs -sSf | sh -s -- -y   # or: apt-get install cargo"
  start=$(date +%s)
  say "building InfluxDB $V2 (Go + libflux) into $out"
  say "cold: about 6 minutes, 240 MiB of Go modules, 5 MiB of crates and 2 GB of Go build cache; warm: seconds"
  mkdir -p "$CACHE/$V2"
  tmp="$(mktemp -d "$CACHE/$V2/.build.XXXXXX")"
  TMP_DIRS+=("$tmp")
  say "step 1/3: download the influxdb/v2@v$V2 module"
  go mod download "github.com/influxdata/influxdb/v2@v$V2" ||
    fail "downloading InfluxDB $V2 failed (is the Go module proxy reachable?)" "bash $0 2.8"
  mod="$(go env GOMODCACHE)/github.com/influxdata/influxdb/v2@v$V2"
  cp -r "$mod" "$tmp/src" && chmod -R u+w "$tmp/src"
  say "step 2/3: InfluxData's pkg-config wrapper, which builds libflux with cargo"
  mkdir -p "$tmp/bin"
  GOBIN="$tmp/bin" go install github.com/influxdata/pkg-config@v0.2.14 ||
    fail "installing influxdata/pkg-config failed" "bash $0 2.8"
  # Flux pins an old Rust and denies warnings; newer rustc warns where the pinned one did not. Cap lints on every
  # rustc call (RUSTFLAGS does not reach the copy of flux-core built for flux's build script).
  printf '#!/bin/sh\nrustc="$1"; shift\nfor a in "$@"; do case "$a" in --cap-lints*) exec "$rustc" "$@";; esac; done\nexec "$rustc" "$@" --cap-lints warn\n' \
    >"$tmp/bin/rustc-caplints"
  chmod +x "$tmp/bin/rustc-caplints"
  say "step 3/3: go build ./cmd/influxd (libflux compiles first, with $JOBS cargo jobs)"
  (cd "$tmp/src" && PKG_CONFIG="$tmp/bin/pkg-config" RUSTUP_TOOLCHAIN=stable RUSTC_WRAPPER="$tmp/bin/rustc-caplints" \
    CARGO_BUILD_JOBS="$JOBS" go build -p "$JOBS" -o "$tmp/influxd" \
    -ldflags "-X main.version=$V2 -X main.commit=v$V2" ./cmd/influxd) ||
    fail "building InfluxDB $V2 failed (are the Go module proxy and crates.io reachable?)" "bash $0 2.8"
  usable "$tmp/influxd" "$V2" || fail "the built influxd does not report version $V2" "bash $0 2.8"
  mv -f "$tmp/influxd" "$out"
  say "InfluxDB $V2 built in $(elapsed "$start"): $out"
  echo "HOMEIQ_INFLUXD_2_8=$out"
}

debian() {
  local missing=() pkg
  command -v influxd >/dev/null 2>&1 || missing+=(influxdb)
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  if [[ ${#missing[@]} -eq 0 ]]; then say "Debian packages present: influxd $(influxd version 2>/dev/null | head -1), chromium"; return; fi
  if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    local start
    start=$(date +%s)
    say "installing Debian packages: ${missing[*]} (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    say "Debian packages installed in $(elapsed "$start")"
    return
  fi
  for pkg in "${missing[@]}"; do say "missing Debian package: $pkg"; done
  fail "the tests need ${missing[*]}" "sudo apt-get install ${missing[*]}"
}

want=("$@")
[[ ${#want[@]} -eq 0 ]] && want=(debian 2.8 1.8)
for v in "${want[@]}"; do
  case "$v" in
  2.8) build_2_8 ;;
  1.8) build_1_8 ;;
  debian) debian ;;
  *) fail "unknown server '$v' (expected 2.8 or 1.8)" "bash $0" ;;
  esac
done
