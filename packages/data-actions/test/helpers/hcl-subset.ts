/**
 * A strict parser for the subset of HCL that `renderTerraform` writes, written independently of
 * the generator so the round trip proves something. String semantics follow Terraform: `$${` and
 * `%%{` are literal `${` / `%{`; a bare `${...}` is an interpolation, and the only one allowed is
 * `${var.<name>}` (resolved from `vars`), so an unescaped Velocity reference fails the parse.
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

type Token =
  | { kind: 'ident'; value: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'punct'; value: string };

function tokenize(text: string, vars: Record<string, string>): Token[] {
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
      if (!m) throw new Error(`bad number at ${i}`);
      tokens.push({ kind: 'number', value: Number(m[0]) });
      i += m[0].length;
    } else if ('{}[]()=,:.'.includes(c)) {
      tokens.push({ kind: 'punct', value: c });
      i++;
    } else if (c === '"') {
      i++;
      let out = '';
      for (;;) {
        if (i >= text.length) throw new Error('unterminated string');
        const d = text[i] as string;
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\n') throw new Error('newline in string');
        if (d === '\\') {
          const e = text[i + 1];
          const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
          if (e !== undefined && simple[e] !== undefined) {
            out += simple[e];
            i += 2;
          } else if (e === 'u') {
            out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
            i += 6;
          } else {
            throw new Error(`unsupported escape \\${e ?? ''} at ${i}`);
          }
        } else if (text.startsWith('$${', i)) {
          out += '${';
          i += 3;
        } else if (text.startsWith('%%{', i)) {
          out += '%{';
          i += 3;
        } else if (text.startsWith('${', i)) {
          const end = text.indexOf('}', i);
          const expr = text.slice(i + 2, end);
          const m = /^var\.([A-Za-z0-9_]+)$/.exec(expr);
          if (!m || vars[m[1] as string] === undefined)
            throw new Error(`unexpected interpolation \${${expr}}`);
          out += vars[m[1] as string];
          i = end + 1;
        } else if (text.startsWith('%{', i)) {
          throw new Error(`unexpected template directive at ${i}`);
        } else {
          out += d;
          i++;
        }
      }
      tokens.push({ kind: 'string', value: out });
    } else {
      throw new Error(`unexpected character ${JSON.stringify(c)} at ${i}`);
    }
  }
  return tokens;
}

export function parseHcl(text: string, vars: Record<string, string> = {}): HclBlock[] {
  const tokens = tokenize(text, vars);
  let p = 0;
  const peek = () => tokens[p];
  const next = () => {
    const t = tokens[p++];
    if (!t) throw new Error('unexpected end');
    return t;
  };
  const expect = (value: string) => {
    const t = next();
    if (t.kind !== 'punct' || t.value !== value)
      throw new Error(`expected ${value}, got ${JSON.stringify(t)}`);
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
        if (k.kind !== 'string' && k.kind !== 'ident') throw new Error(`bad object key ${JSON.stringify(k)}`);
        const sep = next();
        if (sep.kind !== 'punct' || (sep.value !== '=' && sep.value !== ':'))
          throw new Error('expected = or :');
        obj[String(k.value)] = expr();
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
        if (part.kind !== 'ident') throw new Error('bad reference');
        ref += `.${part.value}`;
      }
      return { ref } satisfies HclRef;
    }
    throw new Error(`unexpected token ${JSON.stringify(t)}`);
  };

  const body = (end: boolean): { attributes: Record<string, unknown>; blocks: HclBlock[] } => {
    const attributes: Record<string, unknown> = {};
    const blocks: HclBlock[] = [];
    while (p < tokens.length && !(end && isPunct('}'))) {
      const name = next();
      if (name.kind !== 'ident') throw new Error(`expected a name, got ${JSON.stringify(name)}`);
      if (isPunct('=')) {
        next();
        if (Object.hasOwn(attributes, name.value)) throw new Error(`duplicate attribute ${name.value}`);
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
  return body(false).blocks;
}
