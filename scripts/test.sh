#!/usr/bin/env bash
# Install hdcat with its test dependencies into .venv and run the whole test suite.
# Browser tests drive Debian's chromium through Playwright (Playwright's own browser
# download is not used); the store and web smoke tests also run against Debian's Virtuoso
# Open Source 7 (tests/virtuoso_server.py starts a throwaway one on 127.0.0.1). Both are
# installed from Debian when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
dpkg -s chromium fonts-wqy-zenhei >/dev/null 2>&1 || missing+=(chromium fonts-wqy-zenhei)
dpkg -s virtuoso-opensource >/dev/null 2>&1 || missing+=(virtuoso-opensource)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "missing and cannot be installed here: ${missing[*]}" \
      "(browser tests without chromium, Virtuoso tests without virtuoso-opensource" \
      "will be skipped)" >&2
  fi
fi
python3 -m venv .venv
.venv/bin/python -m pip install --quiet -e '.[test]'
.venv/bin/ruff check .
exec .venv/bin/python -m pytest -n 2 --dist loadfile -q "$@"
