#!/usr/bin/env bash
# The browser tests (the sandbox console in mocha, the VS Code e2e) drive Debian's chromium through
# playwright-core: no browser download at run time (none can be fetched on these machines). Installs
# it with apt when it is missing, so a fresh machine runs `pnpm test` as is.
set -euo pipefail
CHROMIUM=${BATON_CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $CHROMIUM is missing and apt-get is not available: install Chromium and set BATON_CHROMIUM" >&2
  exit 1
fi
echo "ensure-chromium: apt-get install chromium (about a minute)" >&2
apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
