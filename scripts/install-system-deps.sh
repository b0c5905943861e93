#!/usr/bin/env bash
# Debian packages the test suite needs: Chromium (browser tests), PostgreSQL 15 (store tests), a Java runtime
# (local Spark), CJK and Latin fonts (the console's Chinese drawn as a user sees it, not as boxes). Installs only
# what is missing, so a prepared machine pays nothing.
set -euo pipefail
installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v java >/dev/null || missing+=(default-jre-headless)
command -v runuser >/dev/null || missing+=(util-linux)
for fonts in fonts-noto-cjk fonts-liberation; do installed "$fonts" || missing+=("$fonts"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
