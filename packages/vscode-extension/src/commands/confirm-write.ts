import * as vscode from 'vscode';
import { activeOrgName, needsWriteConfirmation, type ActiveOrg } from '../model/org-profile.js';

/** Asks before anything writes to a real org (participant data, transfer). The sandbox never asks. */
export async function confirmWrite(org: ActiveOrg, what: string): Promise<boolean> {
  if (!needsWriteConfirmation(org, true)) return true;
  const go = 'Write to this org';
  const answer = await vscode.window.showWarningMessage(
    `${what} writes to Genesys Cloud org "${activeOrgName(org)}" (participant data${what.includes('transfer') ? ', transfer' : ''}). Continue?`,
    { modal: true },
    go,
  );
  return answer === go;
}
