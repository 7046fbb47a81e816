import type { BridgeEndpoint } from './org-backend.js';

/** One step of a local data-action run (request template, HTTP call, translation, …). */
export interface DataActionStep {
  name: string;
  ok: boolean;
  detail: unknown;
}

export interface DataActionRun {
  ok: boolean;
  /** The bridge URL the action called (no credentials). */
  bridge: string;
  steps: DataActionStep[];
  /** The flattened output the flow would receive, when the run succeeded. */
  output?: unknown;
  error?: string;
}

/** The parts of @baton/data-actions the editor uses, behind one seam. */
export interface DataActionsApi {
  /** Data actions generated from Baton's contracts, pointing at `bridge`. */
  generate(bridge: BridgeEndpoint): Promise<unknown[]>;
  /** Runs an action through the local data-action runtime. */
  run(action: unknown, input: Record<string, unknown>, bridge: BridgeEndpoint): Promise<DataActionRun>;
  /** Writes the actions to `outDir` as JSON or Terraform; returns the files written. */
  export(bridge: BridgeEndpoint, format: 'json' | 'terraform', outDir: string): Promise<string[]>;
}
