import { exportActions, generateActions, runDataAction, type AuthMode, type DataActionCredentials, type DataActionDefinition } from '@baton/data-actions';
import type { BridgeEndpoint } from './org-backend.js';
import type { DataActionRun, DataActionsApi } from './data-actions-api.js';

/**
 * @baton/data-actions behind the editor's seam. Actions for the in-process bridge use its API key
 * (User Defined credential, `X-API-Key`); actions for a configured bridge use Basic Auth, the
 * bridge's simplest inbound credential.
 */
export function createDataActionsApi(): DataActionsApi {
  const allowInsecure = (bridge: BridgeEndpoint) => bridge.url.startsWith('http://');
  const authMode = (bridge: BridgeEndpoint): AuthMode => (bridge.auth && 'apiKey' in bridge.auth ? 'apikey' : 'basic');
  return {
    async generate(bridge) {
      return generateActions({ baseUrl: bridge.url, auth: authMode(bridge), allowInsecure: allowInsecure(bridge) }).actions.map((a) => a.definition);
    },
    async run(action, input, bridge): Promise<DataActionRun> {
      // The bridge's credentials go only to the bridge: a workspace action calling elsewhere gets none.
      const auth = callsBridge(action, bridge) ? bridge.auth : undefined;
      const credentials: DataActionCredentials =
        auth && 'username' in auth
          ? { type: 'basic', userName: auth.username, password: auth.password }
          : { type: 'userDefined', fields: auth && 'apiKey' in auth ? { apiKey: auth.apiKey } : {} };
      const result = await runDataAction({ action: action as DataActionDefinition, input, credentials });
      return {
        ok: result.success,
        bridge: bridge.url,
        steps: result.operations.map((o) => ({ name: `${o.step}. ${o.name}`, ok: o.success, detail: o.error ?? o.result })),
        ...(result.finalResult === undefined ? {} : { output: result.finalResult }),
        ...(result.error ? { error: `${result.error.code}: ${result.error.message}` } : {}),
      };
    },
    async export(bridge, format, outDir) {
      return (await exportActions({ baseUrl: bridge.url, auth: authMode(bridge), format, outDir, allowInsecure: allowInsecure(bridge) })).files;
    },
  };
}

function callsBridge(action: unknown, bridge: BridgeEndpoint): boolean {
  const url = (action as { config?: { request?: { requestUrlTemplate?: unknown } } } | undefined)?.config?.request?.requestUrlTemplate;
  return typeof url === 'string' && url.startsWith(`${bridge.url.replace(/\/+$/, '')}/`);
}
