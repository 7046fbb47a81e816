import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { HandoffInput } from '@baton/core';
import { Commands } from '../ids.js';
import type { HistoryEntry } from '../model/history.js';
import { inspectionMarkdown } from '../model/inspection-markdown.js';
import { activeOrgName } from '../model/org-profile.js';
import type { ConversationInspection } from '../backend/org-backend.js';
import type { CommandContext } from './context.js';
import { confirmWrite } from './confirm-write.js';
import { pickConversation, pickMode, pickQueue } from './pickers.js';

export interface RunHandoffArgs {
  conversationId?: string;
  queueId?: string;
  mode?: 'flow' | 'api';
}

export function registerHandoffCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.runHandoff, (args?: RunHandoffArgs) => reportErrors(ctx, 'Run Handoff', () => runHandoff(ctx, args ?? {}))),
    vscode.commands.registerCommand(Commands.inspectConversation, (args?: { conversationId?: string }) =>
      reportErrors(ctx, 'Inspect Conversation', () => inspectConversation(ctx, args ?? {})),
    ),
  ];
}

/** Any argument given skips its picker, so tests and other extensions can run it without UI. */
async function runHandoff(ctx: CommandContext, args: RunHandoffArgs): Promise<HistoryEntry | undefined> {
  const org = ctx.orgs.active();
  const backend = await ctx.orgs.backend();
  const conversationId = args.conversationId ?? (await pickConversation(backend));
  if (!conversationId) return undefined;
  const queueId = args.queueId ?? (await pickQueue(backend));
  if (!queueId) return undefined;
  const mode = args.mode ?? (await pickMode());
  if (!mode) return undefined;
  if (!(await confirmWrite(ctx.askWrite, org, mode === 'api' ? 'This handoff (agent context and transfer)' : 'This handoff (agent context)'))) return undefined;

  const input: HandoffInput = { conversationId, queueId, mode };
  ctx.log.info('handoff started', { org: activeOrgName(org), conversationId, queueId, mode });
  const { output, trace } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Baton: handing off ${conversationId.slice(0, 8)}…`, cancellable: false },
    async (progress) =>
      backend.handoff(input, {
        onCall: (call) => {
          progress.report({ message: `${call.method} ${call.path} → ${call.status}` });
          ctx.log.info('upstream call', { route: call.route, method: call.method, path: call.path, status: call.status, durationMs: call.durationMs });
        },
      }),
  );
  ctx.log.info('handoff finished', { handoffId: output.handoffId, status: output.status, apiCalls: output.apiCalls, durationMs: output.durationMs });
  const entry = await ctx.history.add(
    {
      id: randomUUID(),
      org: activeOrgName(org),
      ranAt: new Date(ctx.now()).toISOString(),
      source: 'run',
      label: `${output.status} · ${output.queueName || 'no queue'}`,
      trace,
      output,
    },
    backend.secrets(),
  );
  ctx.traces.open(entry);
  return entry;
}

async function inspectConversation(ctx: CommandContext, args: { conversationId?: string }): Promise<ConversationInspection | undefined> {
  const backend = await ctx.orgs.backend();
  const conversationId = args.conversationId ?? (await pickConversation(backend));
  if (!conversationId) return undefined;
  const inspection = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Baton: inspecting ${conversationId.slice(0, 8)}…` },
    () => backend.inspect(conversationId),
  );
  ctx.log.info('conversation inspected', { conversationId, apiCalls: inspection.apiCalls, intentSource: inspection.intent.source });
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: inspectionMarkdown(activeOrgName(ctx.orgs.active()), inspection) });
  await vscode.window.showTextDocument(doc, { preview: true });
  return inspection;
}

/** Errors end in one notification and one log line, never as an unhandled rejection in the host. */
export async function reportErrors<T>(ctx: CommandContext, what: string, run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
    ctx.log.error(`${what} failed`, { code, message });
    void vscode.window.showErrorMessage(`Baton: ${what} failed: ${message}`);
    return undefined;
  }
}
