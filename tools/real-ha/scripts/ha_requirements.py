"""Print the pip requirements of the integrations our test HA loads, one per line.

Home Assistant installs integration requirements with pip at runtime; the test instance runs with `--skip-pip`
instead, so every requirement must be installed up front. This walks the integration manifests (the set bootstrap
always loads, plus the domains given on the command line, plus each one's `dependencies`, transitively) and
prints the union of their `requirements`. Run it with the venv's python: `python ha_requirements.py demo template`.
"""

import json
import pathlib
import sys

import homeassistant.bootstrap as bootstrap
import homeassistant.components as components

ROOT = pathlib.Path(components.__path__[0])


def manifest(domain: str) -> dict:
    path = ROOT / domain / "manifest.json"
    return json.loads(path.read_text()) if path.exists() else {}


def main() -> None:
    todo = set(sys.argv[1:])
    todo |= bootstrap.CORE_INTEGRATIONS | bootstrap.DEFAULT_INTEGRATIONS
    todo |= bootstrap.LOGGING_AND_HTTP_DEPS_INTEGRATIONS - {"sentry", "isal"}
    todo |= bootstrap.FRONTEND_INTEGRATIONS | bootstrap.RECORDER_INTEGRATIONS
    seen: set[str] = set()
    requirements: set[str] = set()
    while todo:
        domain = todo.pop()
        if domain in seen:
            continue
        seen.add(domain)
        data = manifest(domain)
        requirements.update(data.get("requirements", []))
        todo.update(data.get("dependencies", []))
    for line in sorted(requirements):
        print(line)


if __name__ == "__main__":
    main()
