import * as vscode from 'vscode';
import { Commands } from '../ids.js';
import { activeOrgName, type ActiveOrg } from '../model/org-profile.js';
import type { OrgManager } from './org-manager.js';

/** The active org in the status bar; clicking it switches orgs. */
export class OrgStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('baton.activeOrg', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;

  constructor(orgs: OrgManager) {
    this.item.name = 'Baton: active org';
    this.item.command = Commands.switchOrg;
    this.render(orgs.active());
    this.subscription = orgs.onDidChangeActive((org) => this.render(org));
    this.item.show();
  }

  get text(): string {
    return this.item.text;
  }

  private render(org: ActiveOrg): void {
    const name = activeOrgName(org);
    this.item.text = org.kind === 'sandbox' ? `$(beaker) Baton: ${name}` : `$(cloud) Baton: ${name}`;
    this.item.tooltip =
      org.kind === 'sandbox'
        ? 'Baton runs against the built-in sandbox org (no credentials). Click to switch orgs.'
        : `Baton runs against Genesys Cloud org "${name}" (${org.profile.baseUrl ?? org.profile.region}). Writes ask for confirmation. Click to switch orgs.`;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
