/** Misuse of the sandbox itself (a bad fixture or option), as opposed to an emulated Genesys error (`ApiError`). */
export class SandboxError extends Error {
  readonly code: 'sandbox.fixture.invalid' | 'sandbox.options.invalid' | 'sandbox.not.found' | 'sandbox.bot.invalid' | 'sandbox.invalid.state';
  constructor(code: SandboxError['code'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SandboxError';
    this.code = code;
  }
}
