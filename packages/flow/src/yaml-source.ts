import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { FlowLoadError } from './flow-error.js';

/** A YAML node with the line it starts on, so every load error can name its line. */
export type SourceNode =
  | { kind: 'scalar'; line: number; value: string | number | boolean | null }
  | { kind: 'map'; line: number; entries: ReadonlyMap<string, SourceNode> }
  | { kind: 'list'; line: number; items: readonly SourceNode[] };

/** Parses YAML text into SourceNodes; a syntax error is a FlowLoadError at its line. */
export function parseSource(text: string): SourceNode {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) throw new FlowLoadError(`not valid YAML: ${first.message.split('\n')[0]}`, first.linePos?.[0]?.line ?? 1);
  const lineOf = (node: YamlNode | null | undefined): number =>
    node?.range ? lineCounter.linePos(node.range[0]).line : 1;
  const convert = (node: unknown): SourceNode => {
    const line = lineOf(node as YamlNode);
    if (isMap(node)) {
      const entries = new Map<string, SourceNode>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const value = pair.value === null ? { kind: 'scalar' as const, line: lineOf(pair.key as YamlNode), value: null } : convert(pair.value);
        entries.set(key, value);
      }
      return { kind: 'map', line, entries };
    }
    if (isSeq(node)) return { kind: 'list', line, items: node.items.map(convert) };
    if (isScalar(node)) {
      const v = node.value;
      return { kind: 'scalar', line, value: typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : null };
    }
    if (node === null || node === undefined) return { kind: 'scalar', line, value: null };
    throw new FlowLoadError('aliases and tags are not supported', line);
  };
  return convert(doc.contents);
}

export function asMap(node: SourceNode | undefined, what: string, line: number): ReadonlyMap<string, SourceNode> {
  if (!node) throw new FlowLoadError(`${what} is missing`, line);
  if (node.kind !== 'map') throw new FlowLoadError(`${what} must be a mapping`, node.line);
  return node.entries;
}

/** A list, or none (absent or null reads as empty). */
export function asList(node: SourceNode | undefined, what: string): readonly SourceNode[] {
  if (!node) return [];
  if (node.kind === 'scalar' && node.value === null) return [];
  if (node.kind !== 'list') throw new FlowLoadError(`${what} must be a list`, node.line);
  return node.items;
}

export function asText(node: SourceNode | undefined, what: string, line: number): string {
  if (!node) throw new FlowLoadError(`${what} is missing`, line);
  if (node.kind !== 'scalar' || node.value === null) throw new FlowLoadError(`${what} must be text`, node.line);
  return String(node.value);
}

/** The single key of a `- key: {…}` list item (Archy wraps every action, state and variable so). */
export function singleEntry(node: SourceNode, what: string): { key: string; value: SourceNode; line: number } {
  if (node.kind !== 'map' || node.entries.size !== 1) {
    throw new FlowLoadError(`each ${what} must be a mapping with exactly one key (its type)`, node.line);
  }
  const [key, value] = [...node.entries][0]!;
  return { key, value, line: node.line };
}
