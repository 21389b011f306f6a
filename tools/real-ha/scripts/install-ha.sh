#!/usr/bin/env bash
# Installs a pinned Home Assistant core release into a cached virtual environment for the real-HA tests.
#
# Idempotent: a complete install leaves a stamp file; later runs check the stamp and exit in well under a second.
# Every wheel is kept in a wheelhouse under the cache directory, so a rebuilt venv installs offline (--no-index).
#
# Environment (all optional):
#   HOMEIQ_HA_VERSION       Home Assistant release               (default 2025.1.4)
#   HOMEIQ_REAL_HA_CACHE    cache directory, outside the repo    (default $HOME/.cache/homeiq-real-ha)
#   HOMEIQ_REAL_HA_PYTHON   Python >= 3.12 to build the venv     (default: pyenv 3.12.x, then python3.12/python3.13)
#
# Prints progress lines prefixed "real-ha:" on stderr and, as its last stdout line, HOMEIQ_REAL_HA_VENV=<venv dir>.
set -euo pipefail

HA_VERSION="${HOMEIQ_HA_VERSION:-2025.1.4}"
CACHE="${HOMEIQ_REAL_HA_CACHE:-$HOME/.cache/homeiq-real-ha}"
HERE="$(cd "$(dirname "$0")" && pwd)"
# The integrations our configuration.yaml loads (see src/ha-config.ts); bootstrap's always-loaded set is added by
# ha_requirements.py. The demo platforms are listed because demo forwards its config entry to each of them.
DOMAINS="http api websocket_api config history recorder onboarding template demo sun group zone conversation assist_pipeline
  air_quality alarm_control_panel binary_sensor button camera calendar climate cover date datetime event fan
  humidifier light lock media_player notify number select sensor siren stt switch text time update vacuum
  water_heater weather tts image_processing device_tracker"

say() { echo "real-ha: $*" >&2; }

find_python() {
  if [[ -n "${HOMEIQ_REAL_HA_PYTHON:-}" ]]; then echo "$HOMEIQ_REAL_HA_PYTHON"; return; fi
  local candidate
  for candidate in "$HOME"/.pyenv/versions/3.12.*/bin/python "$(command -v python3.12 || true)" \
    "$HOME"/.pyenv/versions/3.13.*/bin/python "$(command -v python3.13 || true)"; do
    if [[ -n "$candidate" && -x "$candidate" ]]; then echo "$candidate"; return; fi
  done
  say "no Python 3.12 or 3.13 found; set HOMEIQ_REAL_HA_PYTHON"
  exit 1
}

PYTHON="$(find_python)"
PY_TAG="$("$PYTHON" -c 'import sys; print(f"py{sys.version_info[0]}{sys.version_info[1]}")')"
VENV="$CACHE/ha-$HA_VERSION-$PY_TAG"
WHEELS="$CACHE/wheels-$PY_TAG"
STAMP="$VENV/.homeiq-real-ha-complete"
# File contents only (not their paths): the script may be run by any path.
FINGERPRINT="$HA_VERSION $(cat "$HERE/ha_requirements.py" "$HERE/install-ha.sh" | sha256sum | cut -c1-16)"

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$FINGERPRINT" ]]; then
  say "Home Assistant $HA_VERSION is ready in $VENV"
  echo "HOMEIQ_REAL_HA_VENV=$VENV"
  exit 0
fi

say "installing Home Assistant $HA_VERSION with $PYTHON into $VENV"
say "wheels are cached in $WHEELS; a first install downloads about 190 MB from PyPI and takes about 5 minutes"
mkdir -p "$WHEELS"
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check --no-input)

# Installs from the wheelhouse only; on a miss, fills the wheelhouse from PyPI (pip wheel) and installs again.
install_cached() {
  if "${PIP[@]}" install -q --no-index --find-links "$WHEELS" "$@" 2>/dev/null; then return; fi
  say "fetching into the wheelhouse: $*"
  "${PIP[@]}" wheel -q --wheel-dir "$WHEELS" --find-links "$WHEELS" "$@"
  "${PIP[@]}" install -q --no-index --find-links "$WHEELS" "$@"
}

say "step 1/3: homeassistant==$HA_VERSION and its core dependencies"
install_cached "homeassistant==$HA_VERSION"

say "step 2/3: requirements of the integrations the test configuration loads (hass runs with --skip-pip)"
CONSTRAINTS="$("$VENV/bin/python" -c 'import homeassistant, pathlib; print(pathlib.Path(homeassistant.__file__).parent / "package_constraints.txt")')"
REQUIREMENTS="$VENV/homeiq-integration-requirements.txt"
# shellcheck disable=SC2086 # DOMAINS is a word list on purpose
"$VENV/bin/python" "$HERE/ha_requirements.py" $DOMAINS >"$REQUIREMENTS"
say "  $(tr '\n' ' ' <"$REQUIREMENTS")"
install_cached -c "$CONSTRAINTS" -r "$REQUIREMENTS"

say "step 3/3: check that hass imports"
"$VENV/bin/python" -c 'import homeassistant.const as c, sys; sys.exit(c.__version__ != sys.argv[1])' "$HA_VERSION"
echo "$FINGERPRINT" >"$STAMP"
say "Home Assistant $HA_VERSION is ready in $VENV"
echo "HOMEIQ_REAL_HA_VENV=$VENV"
