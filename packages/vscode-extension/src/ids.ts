/**
 * Every id the extension contributes, typed, so a renamed command cannot leave a stale string in a
 * `registerCommand` or `executeCommand` call. `test/unit/manifest.test.ts` checks these lists
 * against package.json's `contributes`, in both directions.
 */
export const Commands = {
  runHandoff: 'baton.runHandoff',
  inspectConversation: 'baton.inspectConversation',
  testDataAction: 'baton.testDataAction',
  exportDataActions: 'baton.exportDataActions',
  switchOrg: 'baton.switchOrg',
  addOrg: 'baton.addOrg',
  removeOrg: 'baton.removeOrg',
  setOrgSecret: 'baton.setOrgSecret',
  openTrace: 'baton.openTrace',
  clearHistory: 'baton.clearHistory',
  refreshHistory: 'baton.refreshHistory',
  showLog: 'baton.showLog',
  chatAsCustomer: 'baton.chatAsCustomer',
  saveChatAsScenario: 'baton.saveChatAsScenario',
} as const;
export type CommandId = (typeof Commands)[keyof typeof Commands];

export const Views = {
  handoffs: 'baton.handoffs',
} as const;
export type ViewId = (typeof Views)[keyof typeof Views];

export const ViewContainers = {
  baton: 'baton',
} as const;

/** Settings under `baton.*` (package.json `contributes.configuration`). */
export const Settings = {
  section: 'baton',
  orgs: 'orgs',
  bridgeUrl: 'bridgeUrl',
  historyLimit: 'historyLimit',
  scenarioGlob: 'scenarioGlob',
  conversationGlob: 'conversationGlob',
} as const;

export const ExtensionId = 'baton.baton-vscode';
export const TestControllerId = 'batonScenarios';
export const ConversationTestControllerId = 'batonConversations';
export const TraceViewType = 'baton.trace';
export const ChatViewType = 'baton.chat';
export const OutputChannelName = 'Baton';
