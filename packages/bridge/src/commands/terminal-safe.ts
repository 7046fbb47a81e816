import type { CliIo } from './io.js';

/**
 * Characters a terminal acts on instead of printing: C0 controls except newline and tab (ESC opens
 * the sequences that clear the screen, retitle the window or write the clipboard (OSC 52); CR
 * returns to the start of the line, so later text overwrites what was shown), DEL, and the C1
 * controls (U+009B is a one-character CSI where a terminal honours C1).
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const TERMINAL_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * `text` with every terminal control written out as a visible `\uXXXX`, so customer text (a
 * transcript, a Genesys error, a data action's response) is shown, never obeyed. The `\uXXXX`
 * form is also a JSON escape: JSON text passed through keeps its value and stays valid
 * (JSON.stringify escapes C0 itself but leaves DEL and C1 raw). A CRLF line end stays a line end.
 */
export function escapeTerminalControls(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(TERMINAL_CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const wrapped = new WeakSet<CliIo>();

/** `io` whose stdout and stderr escape terminal controls: every line the CLI prints goes through it. */
export function terminalSafeIo(io: CliIo): CliIo {
  if (wrapped.has(io)) return io;
  const safe: CliIo = {
    env: io.env,
    cwd: io.cwd,
    ...(io.stdin && { stdin: io.stdin }),
    ...(io.onStopSignal && { onStopSignal: io.onStopSignal }),
    stdout: (text) => io.stdout(escapeTerminalControls(text)),
    stderr: (text) => io.stderr(escapeTerminalControls(text)),
  };
  wrapped.add(safe);
  return safe;
}
