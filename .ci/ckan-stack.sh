#!/usr/bin/env bash
# Installs what the real-CKAN integration tests (tests/test_push_ckan_live.py) need on a fresh machine:
# PostgreSQL 15, Redis and the compiler headers from Debian, and CKAN + ckanext-dcat in a virtual
# environment of their own (tests/ckan_stack/requirements.txt). The environment is cached and reused
# while the requirements are unchanged: HANKEDATA_CKAN_VENV, default ~/.cache/hankedata/ckan-venv.
# Solr is not installed: the tests serve CKAN's search calls from tests/ckan_stack/solr_standin.py.
set -euo pipefail
cd "$(dirname "$0")/.."
REQUIREMENTS=tests/ckan_stack/requirements.txt
VENV="${HANKEDATA_CKAN_VENV:-$HOME/.cache/hankedata/ckan-venv}"
PYTHON="${CKAN_PYTHON:-python3}"

need_packages=()
for pair in postgres:postgresql redis-server:redis-server pg_config:libpq-dev gcc:gcc; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || [ -x "/usr/lib/postgresql/15/bin/${pair%%:*}" ] \
    || need_packages+=("${pair#*:}")
done
if [ "${#need_packages[@]}" -gt 0 ]; then
  echo "ckan-stack: installing ${need_packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql redis-server libpq-dev gcc >/dev/null
fi
# Debian's postgresql package starts a cluster on 5432; the tests start their own and need no other.

if [ -f "$VENV/.requirements" ] && cmp -s "$REQUIREMENTS" "$VENV/.requirements" && [ -x "$VENV/bin/ckan" ]; then
  echo "ckan-stack: reusing $VENV"
  exit 0
fi
echo "ckan-stack: building the CKAN environment in $VENV (about 2 minutes)"
started=$SECONDS
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip setuptools wheel
"$VENV/bin/python" -m pip install --quiet -r "$REQUIREMENTS"
cp "$REQUIREMENTS" "$VENV/.requirements"
echo "ckan-stack: CKAN environment ready in $((SECONDS - started)) s"
