import type { AskWrite } from './confirm-write.js';
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
  /** The confirmation before writes to a real org (a modal; scripted in integration tests). */
  askWrite: AskWrite;
  now: () => number;
}
