#!/usr/bin/env bash
# Adds the Python clients of HA's own `influxdb` integration to the cached Home Assistant venv, for the
# row-by-row comparison (src/e2e/ha-influxdb-parity.real-ha.test.ts): `influxdb` (API v1) and `influxdb-client`
# (API v2), at the versions the integration's manifest pins (components/influxdb/manifest.json), constrained by
# HA's package_constraints.txt like every other requirement. HA imports both at setup, whichever API is used.
#
# A separate step from install-ha.sh on purpose: that script's checksum is its venv's stamp, so changing it
# rebuilds the venv under any HA instance running from it. This one only adds packages, idempotently.
#
# Usage: install-ha-influxdb.sh [venv]   (the HOMEIQ_REAL_HA_VENV install-ha.sh prints; without it, install-ha.sh
# runs first, a no-op once its install is complete)
# Wheels come from, and go to, the same wheelhouse as install-ha.sh ($HOMEIQ_REAL_HA_CACHE/wheels-py3XX).
set -euo pipefail

CACHE="${HOMEIQ_REAL_HA_CACHE:-$HOME/.cache/homeiq-real-ha}"
HERE="$(cd "$(dirname "$0")" && pwd)"
VENV="${1:-}"
if [[ -z "$VENV" ]]; then
  VENV="$(bash "$HERE/install-ha.sh" | sed -n 's/^HOMEIQ_REAL_HA_VENV=//p' | tail -1)"
  [[ -n "$VENV" ]] || { echo "real-ha: install-ha.sh printed no venv" >&2; exit 1; }
fi
PY="$VENV/bin/python"
say() { echo "real-ha: $*" >&2; }

PY_TAG="$("$PY" -c 'import sys; print(f"py{sys.version_info[0]}{sys.version_info[1]}")')"
WHEELS="$CACHE/wheels-$PY_TAG"
STAMP="$VENV/.homeiq-real-ha-influxdb"
REQUIREMENTS="$("$PY" - <<'EOF'
import json, pathlib, homeassistant.components as c
print(" ".join(json.loads((pathlib.Path(c.__path__[0]) / "influxdb" / "manifest.json").read_text())["requirements"]))
EOF
)"
FINGERPRINT="$REQUIREMENTS $(sha256sum <"$HERE/install-ha-influxdb.sh" | cut -c1-16)"

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$FINGERPRINT" ]]; then
  say "influxdb clients are ready in $VENV ($REQUIREMENTS)"
  exit 0
fi

CONSTRAINTS="$("$PY" -c 'import homeassistant, pathlib; print(pathlib.Path(homeassistant.__file__).parent / "package_constraints.txt")')"
PIP=("$PY" -m pip --disable-pip-version-check --no-input)
mkdir -p "$WHEELS"
say "installing HA's influxdb integration clients into $VENV: $REQUIREMENTS"
# shellcheck disable=SC2086 # REQUIREMENTS is a word list on purpose
if ! "${PIP[@]}" install -q --no-index --find-links "$WHEELS" -c "$CONSTRAINTS" $REQUIREMENTS 2>/dev/null; then
  say "fetching into the wheelhouse: $REQUIREMENTS"
  # shellcheck disable=SC2086
  "${PIP[@]}" wheel -q --wheel-dir "$WHEELS" --find-links "$WHEELS" -c "$CONSTRAINTS" $REQUIREMENTS
  # shellcheck disable=SC2086
  "${PIP[@]}" install -q --no-index --find-links "$WHEELS" -c "$CONSTRAINTS" $REQUIREMENTS
fi
"$PY" -c 'import influxdb, influxdb_client'
echo "$FINGERPRINT" >"$STAMP"
say "influxdb clients are ready in $VENV ($REQUIREMENTS)"
