import type { TestExecutionResult } from './test-execution-result.js';

const outcomeText = { success: 'Success', failure: 'Failure', timeout: 'Timeout' } as const;

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * The result as the CLI prints it: one row per operation (number, name, ok/FAILED, and the error
 * of a failed step), then the Architect output the flow would take and the final result.
 * Everything in it is already redacted.
 */
export function formatStepTable(result: TestExecutionResult, options: { width?: number } = {}): string {
  const width = options.width ?? 120;
  const nameWidth = Math.max(4, ...result.operations.map((o) => o.name.length));
  const lines = [`${'#'.padStart(2)}  ${'Step'.padEnd(nameWidth)}  Status  Detail`];
  for (const op of result.operations) {
    const status = op.success ? 'ok' : 'FAILED';
    const detail = op.error ? `${op.error.status} ${op.error.code}: ${op.error.message}` : '';
    const prefix = `${String(op.step).padStart(2)}  ${op.name.padEnd(nameWidth)}  ${status.padEnd(6)}  `;
    lines.push(`${prefix}${oneLine(detail, Math.max(20, width - prefix.length))}`.trimEnd());
  }
  lines.push('');
  lines.push(
    `Result: ${result.success ? 'SUCCESS' : 'FAILED'} (Architect output: ${outcomeText[result.outcome]}; correlation id ${result.correlationId})`,
  );
  if (result.success) {
    lines.push(JSON.stringify(result.finalResult, null, 2));
  } else if (result.error) {
    lines.push(`${result.error.status} ${result.error.code}: ${result.error.message}`);
  }
  return `${lines.join('\n')}\n`;
}
