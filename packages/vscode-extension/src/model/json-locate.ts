import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import { parseJsonPointer } from '@baton/core';

export interface TextSpan {
  /** Zero-based offsets into the document text. */
  offset: number;
  length: number;
}

/**
 * Where a JSON pointer points in a document's text: the value's span, falling back to the deepest
 * existing ancestor (an expectation about a missing key is shown on its parent object).
 */
export function locateJsonPointer(text: string, pointer: string): TextSpan {
  const root = parseTree(text);
  if (!root) return { offset: 0, length: 0 };
  const segments: (string | number)[] = parseJsonPointer(pointer).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  for (let n = segments.length; n >= 0; n -= 1) {
    const node = findNodeAtLocation(root, segments.slice(0, n));
    if (node) return spanOf(node);
  }
  return { offset: root.offset, length: root.length };
}

/** For a property value, include its key: `"queue": "Support"` reads better than the bare value. */
function spanOf(node: Node): TextSpan {
  const parent = node.parent;
  if (parent?.type === 'property' && parent.children?.[1] === node) return { offset: parent.offset, length: parent.length };
  return { offset: node.offset, length: node.length };
}

/** Offset → zero-based line/character, for building a vscode.Range without vscode in tests. */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i += 1) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, character: offset - lineStart };
}
