import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, Settings } from '../ids.js';
import type { BridgeEndpoint } from '../backend/org-backend.js';
import type { DataActionRun } from '../backend/data-actions-api.js';
import { actionInputFields, actionName, isActionJson, parseFieldValue } from '../model/action-form.js';
import { actionWrites } from '../model/action-writes.js';
import { activeOrgName } from '../model/org-profile.js';
import type { CommandContext } from './context.js';
import { confirmWrite } from './confirm-write.js';
import { reportErrors } from './handoff-commands.js';

export interface TestDataActionArgs {
  /** An action JSON object; or `actionName` to pick a generated one by name. */
  action?: unknown;
  actionName?: string;
  input?: Record<string, unknown>;
}

export interface ExportDataActionsArgs {
  format?: 'json' | 'terraform';
  outDir?: string;
}

export function registerDataActionCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.testDataAction, (args?: TestDataActionArgs) =>
      reportErrors(ctx, 'Test Data Action', () => testDataAction(ctx, args ?? {})),
    ),
    vscode.commands.registerCommand(Commands.exportDataActions, (args?: ExportDataActionsArgs) =>
      reportErrors(ctx, 'Export Data Actions', () => exportDataActions(ctx, args ?? {})),
    ),
  ];
}

/**
 * The bridge Test Data Action calls: the `baton.bridgeUrl` setting when set, else the active
 * backend's own (the Sandbox org starts one in the extension host). A real org has none: its
 * bridge is whatever the user deployed.
 */
async function resolveBridge(ctx: CommandContext): Promise<BridgeEndpoint> {
  const configured = configuredBridgeUrl();
  if (configured) return { url: configured };
  const backend = await ctx.orgs.backend();
  const own = await backend.bridge?.();
  if (own) return own;
  throw new Error(`Set "baton.${Settings.bridgeUrl}" to the URL of a running Baton bridge (only the Sandbox org has one built in).`);
}

function configuredBridgeUrl(): string | undefined {
  return vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.bridgeUrl)?.trim() || undefined;
}

async function testDataAction(ctx: CommandContext, args: TestDataActionArgs): Promise<DataActionRun | undefined> {
  const bridge = await resolveBridge(ctx);
  let action = args.action;
  if (action === undefined) {
    const generated = await ctx.dataActions.generate(bridge);
    if (args.actionName !== undefined) {
      action = generated.find((a) => actionName(a) === args.actionName);
      if (action === undefined) throw new Error(`No generated action named "${args.actionName}"`);
    } else {
      action = await pickAction(generated);
    }
  }
  if (action === undefined) return undefined;
  const input = args.input ?? (await fillInputs(action));
  if (input === undefined) return undefined;

  if (actionWrites(action) && !(await confirmWrite(ctx.askWrite, ctx.orgs.active(), `The data action "${actionName(action)}"`))) return undefined;

  ctx.log.info('data action started', { action: actionName(action), bridge: bridge.url, org: activeOrgName(ctx.orgs.active()) });
  const run = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Baton: running ${actionName(action)}…` },
    () => ctx.dataActions.run(action, input, bridge),
  );
  for (const step of run.steps) ctx.log.info('data action step', { action: actionName(action), step: step.name, ok: step.ok, detail: step.detail });
  ctx.log.log(run.ok ? 'info' : 'warn', 'data action finished', { action: actionName(action), ok: run.ok, error: run.error });
  const doc = await vscode.workspace.openTextDocument({ language: 'json', content: JSON.stringify(run, null, 2) });
  await vscode.window.showTextDocument(doc, { preview: true });
  return run;
}

async function pickAction(generated: unknown[]): Promise<unknown> {
  type Item = vscode.QuickPickItem & { load: () => Promise<unknown> };
  const fromWorkspace = async (): Promise<Item[]> => {
    const files = await vscode.workspace.findFiles('**/*.json', '**/node_modules/**', 500);
    const items: Item[] = [];
    for (const uri of files) {
      try {
        const json: unknown = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
        if (isActionJson(json)) items.push({ label: actionName(json), description: vscode.workspace.asRelativePath(uri), load: async () => json });
      } catch {
        // Not JSON, or not an action: not offered.
      }
    }
    return items;
  };
  const items: Promise<Item[]> = fromWorkspace().then((ws) => [
    { label: 'Generated from Baton contracts', kind: vscode.QuickPickItemKind.Separator, load: async () => undefined },
    ...generated.map((a) => ({ label: actionName(a), description: 'generated', load: async () => a })),
    ...(ws.length > 0 ? [{ label: 'In the workspace', kind: vscode.QuickPickItemKind.Separator, load: async () => undefined }, ...ws] : []),
  ]);
  const picked = await vscode.window.showQuickPick(items, { title: 'Data action to test', matchOnDescription: true });
  return picked?.load();
}

/** One input box per field of the action's input contract, validated as it is typed. */
async function fillInputs(action: unknown): Promise<Record<string, unknown> | undefined> {
  const input: Record<string, unknown> = {};
  for (const field of actionInputFields(action)) {
    const raw = await vscode.window.showInputBox({
      title: `${actionName(action)}: ${field.name}${field.required ? '' : ' (optional)'}`,
      prompt: [field.description, field.enum ? `one of ${field.enum.join(', ')}` : field.type].filter(Boolean).join(' — '),
      validateInput: (v) => {
        const r = parseFieldValue(field, v);
        return 'error' in r ? r.error : undefined;
      },
    });
    if (raw === undefined) return undefined;
    const parsed = parseFieldValue(field, raw);
    if ('value' in parsed) input[field.name] = parsed.value;
  }
  return input;
}

async function exportDataActions(ctx: CommandContext, args: ExportDataActionsArgs): Promise<string[] | undefined> {
  // Exported actions are imported into Genesys, which must reach the bridge: never the in-process
  // one (a loopback address and a key that dies with this window).
  const url = configuredBridgeUrl();
  if (!url) throw new Error(`Set "baton.${Settings.bridgeUrl}" to the URL Genesys Cloud will call (your deployed bridge).`);
  const bridge: BridgeEndpoint = { url };
  const format =
    args.format ??
    (
      await vscode.window.showQuickPick(
        [
          { label: 'JSON', description: 'one importable file per action (Admin > Integrations > Actions > Import)', format: 'json' as const },
          { label: 'Terraform', description: 'genesyscloud_integration_action resources (CX as Code)', format: 'terraform' as const },
        ],
        { title: 'Export data actions as' },
      )
    )?.format;
  if (!format) return undefined;
  let outDir = args.outDir;
  if (outDir === undefined) {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) throw new Error('Open a folder to export into.');
    outDir = path.join(folder.uri.fsPath, 'genesys-data-actions');
  }
  const files = await ctx.dataActions.export(bridge, format, outDir);
  ctx.log.info('data actions exported', { format, outDir, files: files.length, bridge: bridge.url });
  void vscode.window.showInformationMessage(`Baton: exported ${files.length} data action file(s) to ${vscode.workspace.asRelativePath(outDir)}`);
  return files;
}
