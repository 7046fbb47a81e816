import type { DataActionsApi } from '../backend/data-actions-api.js';
import type { HistoryStore } from '../model/history.js';
import type { OutputLog } from '../log/output-log.js';
import type { OrgManager } from '../orgs/org-manager.js';
import type { TracePanels } from '../views/trace-panel.js';

/** What the commands share; built once in activate(). */
export interface CommandContext {
  orgs: OrgManager;
  history: HistoryStore;
  traces: TracePanels;
  log: OutputLog;
  dataActions: DataActionsApi;
  now: () => number;
}
