/** A titled table of preformatted cells, rendered as aligned text (terminal) or Markdown (docs). */
export interface Table {
  title: string;
  headers: string[];
  rows: string[][];
  /** Lines printed under the table. */
  notes?: string[];
  /** Columns aligned right (numbers). */
  rightAligned?: ReadonlySet<number>;
}

export function renderText(table: Table): string {
  const widths = table.headers.map((h, i) => Math.max(h.length, ...table.rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (table.rightAligned?.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = [table.title, line(table.headers), widths.map((w) => '-'.repeat(w)).join('  '), ...table.rows.map(line)];
  for (const n of table.notes ?? []) out.push(`  ${n}`);
  return out.join('\n');
}

export function renderMarkdown(table: Table): string {
  const escape = (c: string) => c.replace(/\|/g, '\\|');
  const sep = table.headers.map((_, i) => (table.rightAligned?.has(i) ? '---:' : '---'));
  const out = [
    `### ${table.title}`,
    '',
    `| ${table.headers.map(escape).join(' | ')} |`,
    `| ${sep.join(' | ')} |`,
    ...table.rows.map((r) => `| ${r.map(escape).join(' | ')} |`),
  ];
  if (table.notes?.length) out.push('', ...table.notes.map((n) => `- ${n}`));
  return out.join('\n');
}
