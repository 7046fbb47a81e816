/** Why a flow file was refused at load, with the line it is about (1-based). */
export class FlowLoadError extends Error {
  readonly code = 'flow_invalid';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'FlowLoadError';
  }
}

/** An expression or action that failed while the flow ran (Architect's runtime error). */
export class FlowRuntimeError extends Error {
  readonly code = 'flow_runtime_error';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'FlowRuntimeError';
  }
}
