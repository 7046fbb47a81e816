/** An io for runCli that captures what the CLI prints (LOG_LEVEL silent unless the env says otherwise). */
export function captureIo(env: Record<string, string> = {}, cwd = process.cwd()) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { env: { LOG_LEVEL: 'silent', ...env }, stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), cwd },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}
