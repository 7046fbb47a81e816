import { redact, type HandoffOutput, type HandoffTrace } from '@baton/core';

/** One handoff run as the Handoffs view lists it. Always stored redacted. */
export interface HistoryEntry {
  id: string;
  /** Org profile name (or Sandbox) it ran against. */
  org: string;
  ranAt: string;
  /** `run`: the Run Handoff command; `scenario`: a Test Explorer scenario. */
  source: 'run' | 'scenario';
  label: string;
  trace: HandoffTrace;
  output?: HandoffOutput;
}

/** The part of VS Code's Memento the store needs (`context.globalState`), so tests can pass a Map. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

const KEY = 'baton.history.v1';
export const DEFAULT_HISTORY_LIMIT = 50;

/**
 * The history of runs, newest first, capped. Everything is passed through core's `redact` with
 * the active org's secret before it is written, so a token that leaked into a response body never
 * reaches the extension's storage.
 */
export class HistoryStore {
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly storage: KeyValueStore,
    private readonly limit: () => number = () => DEFAULT_HISTORY_LIMIT,
  ) {}

  list(): HistoryEntry[] {
    return this.storage.get<HistoryEntry[]>(KEY) ?? [];
  }

  get(id: string): HistoryEntry | undefined {
    return this.list().find((e) => e.id === id);
  }

  async add(entry: HistoryEntry, secrets: readonly string[] = []): Promise<HistoryEntry> {
    const safe = redact(entry, { secrets }) as HistoryEntry;
    const next = [safe, ...this.list().filter((e) => e.id !== safe.id)].slice(0, Math.max(1, this.limit()));
    await this.storage.update(KEY, next);
    this.emit();
    return safe;
  }

  async clear(): Promise<void> {
    await this.storage.update(KEY, []);
    this.emit();
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}
