import { DataActionsError } from '../errors.js';

/**
 * A strict parser for the subset of HCL that `renderTerraform` writes, written independently of
 * the generator (it shares no code with terraform.ts) so the round trip proves something. String
 * semantics follow Terraform: `$${` and `%%{` are literal `${` / `%{`; a bare `${...}` is an
 * interpolation, and the only one allowed is `${var.<name>}` (resolved from `vars`), so an
 * unescaped Velocity reference fails the parse. Not a general HCL parser: no heredocs, operators,
 * conditionals, `for` expressions or template directives; anything outside the subset is an error
 * (`definition_invalid`), never skipped.
 */
export interface HclBlock {
  type: string;
  labels: string[];
  attributes: Record<string, unknown>;
  blocks: HclBlock[];
}
export interface HclRef {
  ref: string;
}
export interface HclCall {
  fn: string;
  args: unknown[];
}

/** Values of `${var.<name>}` interpolations: a map, or a function (undefined = not allowed). */
export type HclVariables = Readonly<Record<string, string>> | ((name: string) => string | undefined);

function invalid(message: string): DataActionsError {
  return new DataActionsError('definition_invalid', `HCL: ${message}`);
}

type Token =
  | { kind: 'ident'; value: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'punct'; value: string };

function tokenize(text: string, vars: HclVariables): Token[] {
  const lookup = typeof vars === 'function' ? vars : (name: string) => (Object.hasOwn(vars, name) ? vars[name] : undefined);
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'ident', value: m[0] });
      i += m[0].length;
    } else if (/[0-9-]/.test(c)) {
      const m = /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/.exec(text.slice(i));
      if (!m) throw invalid(`bad number at ${i}`);
      tokens.push({ kind: 'number', value: Number(m[0]) });
      i += m[0].length;
    } else if ('{}[]()=,:.'.includes(c)) {
      tokens.push({ kind: 'punct', value: c });
      i++;
    } else if (c === '"') {
      i++;
      let out = '';
      for (;;) {
        if (i >= text.length) throw invalid('unterminated string');
        const d = text[i] as string;
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\n') throw invalid('newline in string');
        if (d === '\\') {
          const e = text[i + 1];
          const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
          if (e !== undefined && simple[e] !== undefined) {
            out += simple[e];
            i += 2;
          } else if (e === 'u') {
            const hex = text.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw invalid(`bad \\u escape at ${i}`);
            out += String.fromCharCode(parseInt(hex, 16));
            i += 6;
          } else {
            throw invalid(`unsupported escape \\${e ?? ''} at ${i}`);
          }
        } else if (text.startsWith('$${', i)) {
          out += '${';
          i += 3;
        } else if (text.startsWith('%%{', i)) {
          out += '%{';
          i += 3;
        } else if (text.startsWith('${', i)) {
          const end = text.indexOf('}', i);
          if (end < 0) throw invalid(`unterminated interpolation at ${i}`);
          const expr = text.slice(i + 2, end);
          const m = /^var\.([A-Za-z0-9_]+)$/.exec(expr);
          const value = m ? lookup(m[1] as string) : undefined;
          if (value === undefined) throw invalid(`unexpected interpolation \${${expr}}`);
          out += value;
          i = end + 1;
        } else if (text.startsWith('%{', i)) {
          throw invalid(`unexpected template directive at ${i}`);
        } else {
          out += d;
          i++;
        }
      }
      tokens.push({ kind: 'string', value: out });
    } else {
      throw invalid(`unexpected character ${JSON.stringify(c)} at ${i}`);
    }
  }
  return tokens;
}

/** Parses `text` into its top-level blocks (top-level attributes are an error). */
export function parseHcl(text: string, vars: HclVariables = {}): HclBlock[] {
  const tokens = tokenize(text, vars);
  let p = 0;
  const peek = () => tokens[p];
  const next = () => {
    const t = tokens[p++];
    if (!t) throw invalid('unexpected end');
    return t;
  };
  const expect = (value: string) => {
    const t = next();
    if (t.kind !== 'punct' || t.value !== value)
      throw invalid(`expected ${value}, got ${JSON.stringify(t)}`);
  };
  const isPunct = (value: string) => {
    const t = peek();
    return t?.kind === 'punct' && t.value === value;
  };

  const expr = (): unknown => {
    const t = next();
    if (t.kind === 'string' || t.kind === 'number') return t.value;
    if (t.kind === 'punct' && t.value === '{') {
      const obj: Record<string, unknown> = {};
      while (!isPunct('}')) {
        const k = next();
        if (k.kind !== 'string' && k.kind !== 'ident') throw invalid(`bad object key ${JSON.stringify(k)}`);
        const sep = next();
        if (sep.kind !== 'punct' || (sep.value !== '=' && sep.value !== ':'))
          throw invalid('expected = or :');
        const key = String(k.value);
        if (Object.hasOwn(obj, key)) throw invalid(`duplicate key ${JSON.stringify(key)}`);
        obj[key] = expr();
        if (isPunct(',')) next();
      }
      expect('}');
      return obj;
    }
    if (t.kind === 'punct' && t.value === '[') {
      const arr: unknown[] = [];
      while (!isPunct(']')) {
        arr.push(expr());
        if (isPunct(',')) next();
      }
      expect(']');
      return arr;
    }
    if (t.kind === 'ident') {
      if (t.value === 'true') return true;
      if (t.value === 'false') return false;
      if (t.value === 'null') return null;
      if (isPunct('(')) {
        next();
        const args: unknown[] = [];
        while (!isPunct(')')) {
          args.push(expr());
          if (isPunct(',')) next();
        }
        expect(')');
        return { fn: t.value, args } satisfies HclCall;
      }
      let ref = t.value;
      while (isPunct('.')) {
        next();
        const part = next();
        if (part.kind !== 'ident') throw invalid('bad reference');
        ref += `.${part.value}`;
      }
      return { ref } satisfies HclRef;
    }
    throw invalid(`unexpected token ${JSON.stringify(t)}`);
  };

  const body = (end: boolean): { attributes: Record<string, unknown>; blocks: HclBlock[] } => {
    const attributes: Record<string, unknown> = {};
    const blocks: HclBlock[] = [];
    while (p < tokens.length && !(end && isPunct('}'))) {
      const name = next();
      if (name.kind !== 'ident') throw invalid(`expected a name, got ${JSON.stringify(name)}`);
      if (isPunct('=')) {
        next();
        if (Object.hasOwn(attributes, name.value)) throw invalid(`duplicate attribute ${name.value}`);
        attributes[name.value] = expr();
        continue;
      }
      const labels: string[] = [];
      while (peek()?.kind === 'string') labels.push(String(next().value));
      expect('{');
      const inner = body(true);
      expect('}');
      blocks.push({ type: name.value, labels, ...inner });
    }
    return { attributes, blocks };
  };
  const top = body(false);
  const stray = Object.keys(top.attributes);
  if (stray.length > 0) throw invalid(`attribute ${stray[0]} outside a block`);
  return top.blocks;
}
