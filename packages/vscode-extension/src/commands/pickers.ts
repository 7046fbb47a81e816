import * as vscode from 'vscode';
import { genesysIdSchema } from '@baton/core';
import { RECENT_PAGE_SIZE, type OrgBackend } from '../backend/org-backend.js';

/** Recent conversations of the org, or an id pasted by hand. Undefined when the user cancels. */
export async function pickConversation(backend: OrgBackend): Promise<string | undefined> {
  type Item = vscode.QuickPickItem & { id: string };
  const paste: Item = { label: '$(edit) Paste a conversation id…', id: '' };
  const older: Item = { label: '$(history) Older conversations…', id: '' };
  // One page at a time (newest first); "Older" asks for the next page only when this one was full.
  const shown: Item[] = [];
  let page = 0;
  for (;;) {
    page += 1;
    const next = page;
    const items = backend.recentConversations(next).then((list): Item[] => {
      shown.push(...list.map((c) => ({ label: c.label, description: c.id, detail: c.detail, id: c.id })));
      return [...shown, ...(list.length >= RECENT_PAGE_SIZE ? [older] : []), paste];
    });
    const picked = await vscode.window.showQuickPick<Item>(items, {
      title: `Conversation (${backend.name})`,
      placeHolder: 'Recent web-messaging conversations',
      matchOnDescription: true,
    });
    if (!picked) return undefined;
    if (picked === older) continue;
    if (picked !== paste) return picked.id;
    break;
  }
  const id = await vscode.window.showInputBox({
    title: 'Conversation id',
    prompt: "The flow's Message.ConversationId",
    validateInput: (v) => (genesysIdSchema.safeParse(v.trim()).success ? undefined : 'A Genesys conversation id (UUID)'),
  });
  return id?.trim();
}

export async function pickQueue(backend: OrgBackend): Promise<string | undefined> {
  const picked = await vscode.window.showQuickPick<vscode.QuickPickItem & { id: string }>(
    backend.queues().then((qs) => qs.map((q) => ({ label: q.name, description: q.id, id: q.id }))),
    { title: `Queue (${backend.name})`, placeHolder: 'Queue the customer is handed to', matchOnDescription: true },
  );
  return picked?.id;
}

export async function pickMode(): Promise<'flow' | 'api' | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'flow', mode: 'flow' as const, detail: "Write the agent's context; the flow's own Transfer to ACD transfers (default)" },
      {
        label: 'api',
        mode: 'api' as const,
        description: 'experimental',
        detail: 'Write the context and transfer through the Platform API (replacing the flow participant while its flow waits: undocumented by Genesys)',
      },
    ],
    { title: 'Handoff mode' },
  );
  return picked?.mode;
}
