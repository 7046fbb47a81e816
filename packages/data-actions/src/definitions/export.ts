import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataActionsError } from '../errors.js';
import type { AuthMode } from './action-definition.js';
import { generateActions } from './generate.js';
import { renderTerraform } from './terraform.js';

export type ExportFormat = 'json' | 'terraform';

export interface ExportActionsOptions {
  baseUrl: string;
  auth: AuthMode;
  format: ExportFormat;
  outDir: string;
  timeoutSeconds?: number;
  /** Accept an http base URL (local testing only). */
  allowInsecure?: boolean;
}

export interface ExportActionsResult {
  /** Absolute or outDir-relative paths written, in a stable order. */
  files: string[];
}

/** File name of the Terraform form. */
export const terraformFileName = 'baton.tf';

/** Stable JSON text: two-space indent and a final newline, so re-exports diff cleanly. */
function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * Writes the actions for one auth mode into `outDir`:
 * - json: `baton-<id>.custom.json` per endpoint, plus `baton-oauth.customAuth.json` for oauth;
 * - terraform: `baton.tf`.
 * Nothing is written when generation fails (bad base URL, contract that breaks the rules).
 */
export async function exportActions(options: ExportActionsOptions): Promise<ExportActionsResult> {
  if (options.format !== 'json' && options.format !== 'terraform') {
    throw new DataActionsError(
      'options_invalid',
      `format must be json or terraform, got ${String(options.format)}`,
    );
  }
  const generated = generateActions(options);
  const files: { name: string; text: string }[] =
    options.format === 'terraform'
      ? [
          {
            name: terraformFileName,
            text: renderTerraform(generated, { allowInsecure: options.allowInsecure }),
          },
        ]
      : [
          ...generated.actions.map((a) => ({ name: a.fileName, text: jsonText(a.definition) })),
          ...(generated.customAuth
            ? [{ name: generated.customAuth.fileName, text: jsonText(generated.customAuth.definition) }]
            : []),
        ];
  await mkdir(options.outDir, { recursive: true });
  const written: string[] = [];
  for (const file of files) {
    const path = join(options.outDir, file.name);
    await writeFile(path, file.text, 'utf8');
    written.push(path);
  }
  return { files: written };
}
