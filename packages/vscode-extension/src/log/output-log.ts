import * as vscode from 'vscode';
import { createChannelLogger, type LogLevel, type Logger } from './channel-logger.js';

/** The "Baton" output channel, written through the bridge's logger (see channel-logger.ts). */
export class OutputLog implements vscode.Disposable {
  private readonly channel: vscode.OutputChannel;
  private readonly extension: Logger;
  /** For the in-process bridge: its lines land in the same channel, redacted the same way. */
  readonly bridgeLogger: Logger;

  constructor(name: string, secrets: () => readonly string[] = () => []) {
    const channel = vscode.window.createOutputChannel(name);
    this.channel = channel;
    const loggers = createChannelLogger({ append: (text) => channel.append(text), secrets });
    this.bridgeLogger = loggers.root;
    this.extension = loggers.extension;
  }

  log(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
    this.extension[level](fields, msg);
  }

  info(msg: string, fields?: Record<string, unknown>): void {
    this.log('info', msg, fields);
  }

  warn(msg: string, fields?: Record<string, unknown>): void {
    this.log('warn', msg, fields);
  }

  error(msg: string, fields?: Record<string, unknown>): void {
    this.log('error', msg, fields);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
