import { forkChild } from '../ipc.js';
import { siblingModule } from '../modules.js';
import type { ProcessUsage } from '../processes/usage-probe.js';
import type { LoadResult, LoadSpec } from './load-spec.js';

export interface LoadGenerator {
  run(spec: LoadSpec): Promise<LoadResult>;
  usage(): Promise<ProcessUsage>;
  stop(): Promise<void>;
}

/** Forks the autocannon worker once; every load run goes through it. */
export function startLoadGenerator(): LoadGenerator {
  const child = forkChild(siblingModule(import.meta.url, './worker-main.js'), []);
  return {
    run: (spec) => child.request<LoadResult>('run', { spec }, (spec.maxSeconds + spec.timeoutSeconds + 30) * 1000),
    usage: () => child.request<ProcessUsage>('usage'),
    stop: () => child.stop(),
  };
}
