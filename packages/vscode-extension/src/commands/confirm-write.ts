import * as vscode from 'vscode';
import { activeOrgName, needsWriteConfirmation, type ActiveOrg } from '../model/org-profile.js';

/** Asks the user a yes/no question before a write; resolves true only on an explicit yes. */
export type AskWrite = (message: string, confirmLabel: string) => Promise<boolean>;

/** The real question: a modal warning, which names the org and has to be answered. */
export const askWithModal: AskWrite = async (message, confirmLabel) =>
  (await vscode.window.showWarningMessage(message, { modal: true }, confirmLabel)) === confirmLabel;

/** Asks before anything writes to a real org (participant data, transfer). The sandbox never asks. */
export async function confirmWrite(ask: AskWrite, org: ActiveOrg, what: string): Promise<boolean> {
  if (!needsWriteConfirmation(org, true)) return true;
  return ask(
    `${what} writes to Genesys Cloud org "${activeOrgName(org)}" (participant data${what.includes('transfer') ? ', transfer' : ''}). Continue?`,
    'Write to this org',
  );
}
