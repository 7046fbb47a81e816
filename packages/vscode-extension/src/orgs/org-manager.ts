import * as vscode from 'vscode';
import { Settings } from '../ids.js';
import type { OrgBackend } from '../backend/org-backend.js';
import {
  activeOrgName,
  parseOrgProfiles,
  SANDBOX_ORG_NAME,
  secretKeyFor,
  type ActiveOrg,
  type OrgProfile,
} from '../model/org-profile.js';
import type { OutputLog } from '../log/output-log.js';

/** Creates the backend of an org; the sandbox one starts a sandbox in the extension host. */
export type BackendFactory = (org: ActiveOrg, clientSecret: string | undefined) => Promise<OrgBackend>;

const ACTIVE_KEY = 'baton.activeOrg';

/**
 * Org profiles (the `baton.orgs` setting, nothing secret), their client secrets (SecretStorage
 * only), which org is active (global state), and the active org's backend, created on first use
 * and disposed when the org changes.
 */
export class OrgManager implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ActiveOrg>();
  readonly onDidChangeActive = this.changed.event;
  private current: { name: string; backend: Promise<OrgBackend> } | undefined;
  private resolved: OrgBackend | undefined;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(
    private readonly context: Pick<vscode.ExtensionContext, 'secrets' | 'globalState'>,
    private readonly createBackend: BackendFactory,
    private readonly log: OutputLog,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${Settings.section}.${Settings.orgs}`)) void this.onProfilesChanged();
      }),
    );
  }

  profiles(): OrgProfile[] {
    const { profiles, problems } = parseOrgProfiles(this.config().get<unknown>(Settings.orgs));
    for (const p of problems) this.log.warn('invalid org profile', { problem: p });
    return profiles;
  }

  /** The active org; the sandbox when none was chosen or the chosen one is gone. */
  active(): ActiveOrg {
    const name = this.context.globalState.get<string>(ACTIVE_KEY);
    const profile = name === undefined ? undefined : this.profiles().find((p) => p.name === name);
    return profile ? { kind: 'genesys', profile } : { kind: 'sandbox', name: SANDBOX_ORG_NAME };
  }

  async setActive(name: string): Promise<ActiveOrg> {
    if (name !== SANDBOX_ORG_NAME && !this.profiles().some((p) => p.name === name)) {
      throw new Error(`No org profile named "${name}"`);
    }
    await this.context.globalState.update(ACTIVE_KEY, name === SANDBOX_ORG_NAME ? undefined : name);
    await this.resetBackend();
    const org = this.active();
    this.log.info('active org changed', { org: activeOrgName(org) });
    this.changed.fire(org);
    return org;
  }

  /** Adds (or replaces) a profile in the user settings and stores its secret in SecretStorage. */
  async saveProfile(profile: OrgProfile, clientSecret: string | undefined): Promise<void> {
    const rest = this.profiles().filter((p) => p.name !== profile.name);
    await this.config().update(Settings.orgs, [...rest, profile], vscode.ConfigurationTarget.Global);
    if (clientSecret !== undefined) await this.context.secrets.store(secretKeyFor(profile.name), clientSecret);
    if (activeOrgName(this.active()) === profile.name) await this.resetBackend();
  }

  async removeProfile(name: string): Promise<void> {
    const wasActive = activeOrgName(this.active()) === name;
    await this.config().update(
      Settings.orgs,
      this.profiles().filter((p) => p.name !== name),
      vscode.ConfigurationTarget.Global,
    );
    await this.context.secrets.delete(secretKeyFor(name));
    if (wasActive) await this.setActive(SANDBOX_ORG_NAME);
  }

  async setSecret(name: string, clientSecret: string): Promise<void> {
    await this.context.secrets.store(secretKeyFor(name), clientSecret);
    if (activeOrgName(this.active()) === name) await this.resetBackend();
  }

  async hasSecret(name: string): Promise<boolean> {
    return (await this.context.secrets.get(secretKeyFor(name))) !== undefined;
  }

  /** The active org's backend, created once per activation of that org. */
  backend(): Promise<OrgBackend> {
    const org = this.active();
    const name = activeOrgName(org);
    if (this.current?.name !== name) {
      const slot = { name } as { name: string; backend: Promise<OrgBackend> };
      slot.backend = (async () => {
        const secret = org.kind === 'genesys' ? await this.context.secrets.get(secretKeyFor(name)) : undefined;
        if (org.kind === 'genesys' && secret === undefined) {
          throw new Error(`No client secret stored for org "${name}": run "Baton: Set Org Client Secret".`);
        }
        const created = await this.createBackend(org, secret);
        if (this.current === slot) this.resolved = created;
        this.log.info('org connected', { org: name, kind: created.kind });
        return created;
      })();
      // A failed start is not cached: the next call tries again (e.g. after the secret is set).
      slot.backend.catch(() => {
        if (this.current === slot) this.current = undefined;
      });
      this.current = slot;
    }
    return this.current!.backend;
  }

  /** Secrets of the active org's backend, for redaction; empty until it exists. */
  secrets(): readonly string[] {
    return this.resolved?.secrets() ?? [];
  }

  private async onProfilesChanged(): Promise<void> {
    // The active profile may have been edited or removed by hand: reconnect on next use.
    if (this.current && this.current.name !== activeOrgName(this.active())) await this.resetBackend();
    this.changed.fire(this.active());
  }

  private async resetBackend(): Promise<void> {
    const previous = this.current;
    this.current = undefined;
    this.resolved = undefined;
    if (previous) {
      try {
        await (await previous.backend).dispose();
      } catch {
        // It never started; nothing to close.
      }
    }
  }

  private config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(Settings.section);
  }

  async dispose(): Promise<void> {
    for (const d of this.disposables) d.dispose();
    await this.resetBackend();
  }
}
