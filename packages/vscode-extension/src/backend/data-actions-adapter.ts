import { exportActions, generateActions, runDataAction, type DataActionCredentials, type DataActionDefinition } from '@baton/data-actions';
import type { BridgeEndpoint } from './org-backend.js';
import type { DataActionRun, DataActionsApi } from './data-actions-api.js';

/** @baton/data-actions behind the editor's seam: generated actions use Basic auth, the bridge's simplest inbound credential. */
export function createDataActionsApi(): DataActionsApi {
  const allowInsecure = (bridge: BridgeEndpoint) => bridge.url.startsWith('http://');
  return {
    async generate(bridge) {
      return generateActions({ baseUrl: bridge.url, auth: 'basic', allowInsecure: allowInsecure(bridge) }).actions.map((a) => a.definition);
    },
    async run(action, input, bridge): Promise<DataActionRun> {
      const credentials: DataActionCredentials =
        bridge.auth && 'username' in bridge.auth
          ? { type: 'basic', userName: bridge.auth.username, password: bridge.auth.password }
          : { type: 'userDefined', fields: bridge.auth && 'bearer' in bridge.auth ? { apiKey: bridge.auth.bearer } : {} };
      const result = await runDataAction({ action: action as DataActionDefinition, input, credentials });
      return {
        ok: result.success,
        steps: result.operations.map((o) => ({ name: `${o.step}. ${o.name}`, ok: o.success, detail: o.error ?? o.result })),
        ...(result.finalResult === undefined ? {} : { output: result.finalResult }),
        ...(result.error ? { error: `${result.error.code}: ${result.error.message}` } : {}),
      };
    },
    async export(bridge, format, outDir) {
      return (await exportActions({ baseUrl: bridge.url, auth: 'basic', format, outDir, allowInsecure: allowInsecure(bridge) })).files;
    },
  };
}
