#!/usr/bin/env bash
# Install hdcat into .venv and serve the catalog with the demo data on the embedded store.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet -e .
exec .venv/bin/hdcat serve --demo "$@"
