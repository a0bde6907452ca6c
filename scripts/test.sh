#!/usr/bin/env bash
# Install hdcat with its test dependencies into .venv and run the whole test suite.
# Browser tests drive Debian's chromium through Playwright (Playwright's own browser
# download is not used), so chromium is installed from Debian when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! dpkg -s chromium fonts-wqy-zenhei >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null
  else
    echo "chromium is missing and cannot be installed here: browser tests will be skipped" >&2
  fi
fi
python3 -m venv .venv
.venv/bin/python -m pip install --quiet -e '.[test]'
.venv/bin/ruff check .
exec .venv/bin/python -m pytest -n 2 --dist loadfile -q "$@"
