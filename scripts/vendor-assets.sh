#!/usr/bin/env bash
# Vendors the console's front-end assets from the npm registry into static/ (no CDN at run time).
# Run it to upgrade an asset; the result is committed.
set -euo pipefail
dest="$(dirname "$0")/../src/kouan/web/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$dest"
(cd "$work" && npm pack --silent htmx.org@2.0.4 >/dev/null && tar xzf htmx.org-2.0.4.tgz)
cp "$work/package/dist/htmx.min.js" "$dest/htmx.min.js"
cp "$work/package/LICENSE" "$dest/htmx.LICENSE"
echo "vendored htmx 2.0.4 into $dest"
