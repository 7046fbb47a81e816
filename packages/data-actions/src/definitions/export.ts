import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataActionsError } from '../errors.js';
import type { AuthMode } from './action-definition.js';
import { archyFlowFileName, renderArchyHandoffFlow, type RenderArchyFlowOptions } from './archy.js';
import { generateActions } from './generate.js';
import { renderTerraform } from './terraform.js';

export type ExportFormat = 'json' | 'terraform' | 'archy';

export interface ExportActionsOptions {
  baseUrl: string;
  auth: AuthMode;
  format: ExportFormat;
  outDir: string;
  timeoutSeconds?: number;
  /** Accept an http base URL (local testing only). */
  allowInsecure?: boolean;
  /** archy: the flow's settings (the default queue is required). */
  archy?: Omit<RenderArchyFlowOptions, 'handoffActionName'>;
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
 * - terraform: `baton.tf`;
 * - archy: the JSON files, plus the recommended handoff as an Archy inbound message flow that
 *   calls them (`baton-handoff.inboundShortMessage.yaml`).
 * Nothing is written when generation fails (bad base URL, contract that breaks the rules).
 */
export async function exportActions(options: ExportActionsOptions): Promise<ExportActionsResult> {
  if (options.format !== 'json' && options.format !== 'terraform' && options.format !== 'archy') {
    throw new DataActionsError(
      'options_invalid',
      `format must be json, terraform or archy, got ${String(options.format)}`,
    );
  }
  if (options.format === 'archy' && !options.archy) {
    throw new DataActionsError('options_invalid', 'format archy needs the flow settings (a default queue id)');
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
          ...(options.format === 'archy' && options.archy
            ? [
                {
                  name: archyFlowFileName,
                  text: renderArchyHandoffFlow({
                    ...options.archy,
                    handoffActionName: generated.actions.find((a) => a.id === 'handoff')!.definition.name,
                  }),
                },
              ]
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
