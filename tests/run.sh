#!/usr/bin/env bash
# Install everything the tests need into .venv and run the whole suite (ruff lint and format check, sqlfluff
# lint of sql/, pytest).
# This is the README's test command and what CI runs; it needs only Python 3.11 on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[test,dask,bench]'
.venv/bin/python -m pip check
# A DuckDB 1.5 client beside the venv, for the test that the published warehouse opens in older clients.
[ -d .venv/duckdb-1.5/duckdb ] || .venv/bin/python -m pip install -q --disable-pip-version-check \
    --no-warn-conflicts --target .venv/duckdb-1.5 "duckdb==1.5.0"
# The browser test renders the report page in headless Chromium (Debian package `chromium`). Install it when
# missing and we may; otherwise that test is skipped and says why (and fails in CI, where CI=true).
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } \
        >/dev/null 2>&1 || echo "tests/run.sh: chromium could not be installed; the browser test will be skipped" >&2
fi
export DO_NOT_TRACK=1 PREFECT_SERVER_ANALYTICS_ENABLED=false GX_ANALYTICS_ENABLED=false
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/sqlfluff lint sql/
.venv/bin/python -m pytest "$@"
