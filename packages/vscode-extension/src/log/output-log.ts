import * as vscode from 'vscode';
import { redact } from '@baton/core';
import { formatLogLine, type LogLevel } from './log-line.js';

/** The "Baton" output channel. Every line is redacted with the active org's secrets first. */
export class OutputLog implements vscode.Disposable {
  private readonly channel: vscode.OutputChannel;

  constructor(
    name: string,
    private readonly secrets: () => readonly string[] = () => [],
    private readonly now: () => number = Date.now,
  ) {
    this.channel = vscode.window.createOutputChannel(name);
  }

  log(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
    const safe = redact(fields, this.secrets()) as Record<string, unknown>;
    this.channel.appendLine(formatLogLine(level, msg, safe, this.now()));
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
