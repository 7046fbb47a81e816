import * as vscode from 'vscode';
import { Commands } from '../ids.js';
import { activeOrgName, orgProfileSchema, SANDBOX_ORG_NAME, type OrgProfile } from '../model/org-profile.js';
import type { CommandContext } from './context.js';
import { reportErrors } from './handoff-commands.js';

export interface AddOrgArgs {
  name?: string;
  region?: string;
  clientId?: string;
  /** Goes to SecretStorage only. */
  clientSecret?: string;
}

export function registerOrgCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.switchOrg, (name?: string) => reportErrors(ctx, 'Switch Org', () => switchOrg(ctx, name))),
    vscode.commands.registerCommand(Commands.addOrg, (args?: AddOrgArgs) => reportErrors(ctx, 'Add Org', () => addOrg(ctx, args ?? {}))),
    vscode.commands.registerCommand(Commands.removeOrg, (name?: string) => reportErrors(ctx, 'Remove Org', () => removeOrg(ctx, name))),
    vscode.commands.registerCommand(Commands.setOrgSecret, (args?: { name?: string; clientSecret?: string }) =>
      reportErrors(ctx, 'Set Org Client Secret', () => setSecret(ctx, args ?? {})),
    ),
  ];
}

async function switchOrg(ctx: CommandContext, name: string | undefined): Promise<string | undefined> {
  if (name === undefined) {
    const current = activeOrgName(ctx.orgs.active());
    const add = { label: '$(add) Add an org…', name: '' };
    const items = [
      { label: SANDBOX_ORG_NAME, description: 'built-in, no credentials', name: SANDBOX_ORG_NAME },
      ...ctx.orgs.profiles().map((p) => ({ label: p.name, description: `${p.region} · ${p.clientId}`, name: p.name })),
    ].map((i) => ({ ...i, label: i.name === current ? `$(check) ${i.label}` : i.label }));
    const picked = await vscode.window.showQuickPick([...items, add], { title: 'Baton: active org' });
    if (!picked) return undefined;
    if (picked === add) return (await addOrg(ctx, {}))?.name;
    name = picked.name;
  }
  return activeOrgName(await ctx.orgs.setActive(name));
}

async function addOrg(ctx: CommandContext, args: AddOrgArgs): Promise<OrgProfile | undefined> {
  const name = args.name ?? (await vscode.window.showInputBox({ title: 'Org name', prompt: 'A name for this org profile, e.g. "Acme prod"' }));
  if (!name) return undefined;
  const region =
    args.region ?? (await vscode.window.showInputBox({ title: `Region of ${name}`, prompt: 'Genesys region, e.g. us_east_1 or mypurecloud.de' }));
  if (!region) return undefined;
  const clientId = args.clientId ?? (await vscode.window.showInputBox({ title: `OAuth client id of ${name}`, prompt: 'Client credentials grant' }));
  if (!clientId) return undefined;
  const clientSecret =
    args.clientSecret ??
    (await vscode.window.showInputBox({ title: `OAuth client secret of ${name}`, prompt: "Stored in VS Code's SecretStorage, never in settings", password: true }));
  if (clientSecret === undefined) return undefined;
  const profile = orgProfileSchema.parse({ name: name.trim(), region: region.trim(), clientId: clientId.trim() });
  if (profile.name === SANDBOX_ORG_NAME) throw new Error(`"${SANDBOX_ORG_NAME}" is the built-in org`);
  await ctx.orgs.saveProfile(profile, clientSecret);
  ctx.log.info('org profile saved', { org: profile.name, region: profile.region });
  return profile;
}

async function removeOrg(ctx: CommandContext, name: string | undefined): Promise<boolean> {
  const target =
    name ??
    (await vscode.window.showQuickPick(ctx.orgs.profiles().map((p) => p.name), { title: 'Remove which org profile (and its secret)?' }));
  if (!target) return false;
  await ctx.orgs.removeProfile(target);
  ctx.log.info('org profile removed', { org: target });
  return true;
}

async function setSecret(ctx: CommandContext, args: { name?: string; clientSecret?: string }): Promise<boolean> {
  const name = args.name ?? (await vscode.window.showQuickPick(ctx.orgs.profiles().map((p) => p.name), { title: 'Set the client secret of' }));
  if (!name) return false;
  if (!ctx.orgs.profiles().some((p) => p.name === name)) throw new Error(`No org profile named "${name}"`);
  const secret = args.clientSecret ?? (await vscode.window.showInputBox({ title: `Client secret of ${name}`, password: true }));
  if (secret === undefined) return false;
  await ctx.orgs.setSecret(name, secret);
  return true;
}
