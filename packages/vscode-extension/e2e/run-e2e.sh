#!/usr/bin/env bash
# End-to-end tests of baton-vscode in a real VS Code (code-server 4.100.3 = VS Code 1.100.3, on
# the Node 20 it requires, from the npm registry), hosted by Debian's chromium, offline except for
# the npm registry and Debian apt.
#   1. installs what is missing (e2e/install.sh: chromium, libkrb5-dev, code-server and its Node in
#      ${BATON_E2E_HOME:-<repo>/.cache/e2e}, gitignored: a fresh clone installs cold);
#   2. bundles the extension and its integration tests (esbuild) and packages the .vsix (vsce);
#   3. installs the .vsix into an isolated code-server (own user-data, extensions and XDG dirs,
#      bound to 127.0.0.1 on a free port) and runs the mocha integration tests in its extension
#      host against the sandbox org, then the UI checks with screenshots;
#   4. prints `e2e: N passed, N failed` and exits non-zero on any failure.
# Artifacts (screenshots, logs, the .vsix): <repo>/artifacts/e2e/ (gitignored).
set -uo pipefail
PKG=$(cd "$(dirname "$0")/.." && pwd)
REPO=$(cd "$PKG/../.." && pwd)
ART=${BATON_E2E_ARTIFACTS:-$REPO/artifacts/e2e}
log() { echo "e2e: $*" >&2; }
passed=0
failed=0
finish() {
  echo "e2e: $passed passed, $failed failed"
  [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ] && exit 0 || exit 1
}

rm -rf "$ART" && mkdir -p "$ART"
CS=$(bash "$PKG/e2e/install.sh") || { log "install failed"; failed=1; finish; }
log "code-server: $CS"

log "build + package"
(cd "$PKG" && node esbuild.mjs && node_modules/.bin/vsce package --no-dependencies --allow-missing-repository -o "$ART/baton-vscode.vsix") \
  > "$ART/build.log" 2>&1 || { tail -30 "$ART/build.log" >&2; failed=1; finish; }

RUN=$(mktemp -d "${TMPDIR:-/tmp}/baton-e2e.XXXXXX")
CS_PID=
cleanup() {
  if [ -n "$CS_PID" ]; then kill "$CS_PID" 2>/dev/null; wait "$CS_PID" 2>/dev/null; fi
  rm -rf "$RUN"
}
trap cleanup EXIT
mkdir -p "$RUN/data/User" "$RUN/ext" "$RUN/xdg-config" "$RUN/xdg-data" "$RUN/workspace"
cp -r "$PKG/e2e/workspace/." "$RUN/workspace/"
# code-server would otherwise write ~/.config/code-server and ~/.local/share/code-server.
export XDG_CONFIG_HOME="$RUN/xdg-config" XDG_DATA_HOME="$RUN/xdg-data"
PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
HOST="127.0.0.1:$PORT"
printf 'bind-addr: %s\nauth: none\ncert: false\n' "$HOST" > "$RUN/config.yaml"
cat > "$RUN/data/User/settings.json" <<'JSON'
{ "workbench.startupEditor": "none", "workbench.tips.enabled": false, "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off", "update.mode": "none", "extensions.autoCheckUpdates": false, "extensions.autoUpdate": false }
JSON
CSARGS=(--config "$RUN/config.yaml" --user-data-dir "$RUN/data" --extensions-dir "$RUN/ext" --disable-telemetry
        --disable-update-check --disable-workspace-trust --disable-getting-started-override)
"$CS" "${CSARGS[@]}" --install-extension "$ART/baton-vscode.vsix" > "$ART/install-extension.log" 2>&1 \
  || { cat "$ART/install-extension.log" >&2; failed=1; finish; }
EXT_DIR=$(ls -d "$RUN/ext"/baton.baton-vscode-* | head -1)
[ -f "$EXT_DIR/dist/extension.js" ] || { log "the .vsix did not install a bundle"; failed=1; finish; }

"$CS" "${CSARGS[@]}" "$RUN/workspace" > "$ART/code-server.log" 2>&1 &
CS_PID=$!
for _ in $(seq 1 120); do curl -sf -o /dev/null "http://$HOST/healthz" && break; sleep 0.5; done
curl -sf -o /dev/null "http://$HOST/healthz" || { log "code-server did not start"; failed=1; finish; }
log "code-server up on $HOST"

count() { # reads the driver's last BATON-E2E-RESULT line
  local line; line=$(grep -o 'BATON-E2E-RESULT {.*}' "$1" | tail -1)
  [ -z "$line" ] && { failed=$((failed + 1)); return; }
  passed=$((passed + $(node -p "JSON.parse(process.argv[1].slice(17)).passed" "$line")))
  failed=$((failed + $(node -p "JSON.parse(process.argv[1].slice(17)).failed" "$line")))
}

log "integration tests (mocha in the extension host; the installed .vsix is the extension under test)"
node "$PKG/e2e/driver.mjs" tests "$HOST" "$RUN/workspace" "$EXT_DIR" "$PKG/dist/test/index.js" 2>&1 | tee "$ART/integration.log"
count "$ART/integration.log"

log "UI checks (command palette, quick picks, webview, tree; screenshots in $ART)"
node "$PKG/e2e/driver.mjs" ui "$HOST" "$RUN/workspace" "$ART" 2>&1 | tee "$ART/ui.log"
count "$ART/ui.log"

# Secrets never reach settings or the workspace.
if grep -rq 'e2e-secret-' "$RUN/data/User/settings.json" "$RUN/workspace" 2>/dev/null; then
  log "a client secret was written to settings or the workspace"; failed=$((failed + 1))
else
  passed=$((passed + 1))
fi
finish
