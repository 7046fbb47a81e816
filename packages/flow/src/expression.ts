import { FlowLoadError, FlowRuntimeError } from './flow-error.js';

/** A queue value, as FindQueueById gives it. */
export interface QueueValue {
  readonly kind: 'queue';
  readonly id: string;
  readonly name?: string;
}

/** A flow value; `null` is Architect's NOT_SET. */
export type FlowValue = string | number | boolean | QueueValue | null;

/** What an expression can read and look up while it runs. */
export interface ExpressionScope {
  read(variable: string): FlowValue;
  findQueueById(id: string): QueueValue | null;
}

type Ast =
  | { t: 'lit'; v: FlowValue }
  | { t: 'var'; name: string }
  | { t: 'call'; fn: string; args: Ast[] }
  | { t: 'not'; arg: Ast }
  | { t: 'neg'; arg: Ast }
  | { t: 'bin'; op: string; left: Ast; right: Ast };

/** A parsed expression, checked at load; `evaluate` runs it against a scope. */
export interface Expression {
  readonly text: string;
  readonly line: number;
  evaluate(scope: ExpressionScope): FlowValue;
}

const isSet = (v: FlowValue): boolean => v !== null;

function text(v: FlowValue, line: number, fn: string): string {
  if (v === null) throw new FlowRuntimeError(`${fn}: a NOT_SET value where a string is needed`, line);
  if (typeof v === 'object') return v.id;
  return String(v);
}

/**
 * The functions of the subset, by name, with their arity. `If` is lazy (only the chosen branch
 * runs), so `If(IsNotSetOrEmpty(x), "", Replace(x, …))` never evaluates Replace on a NOT_SET x.
 */
const functions: Record<string, { arity: number; run?: (args: FlowValue[], scope: ExpressionScope, line: number) => FlowValue }> = {
  If: { arity: 3 },
  IsNotSetOrEmpty: { arity: 1, run: ([v]) => v === null || v === '' },
  IsSet: { arity: 1, run: ([v]) => isSet(v!) },
  IsNotSet: { arity: 1, run: ([v]) => !isSet(v!) },
  ToString: {
    arity: 1,
    run: ([v], _s, line) => {
      if (v === null) throw new FlowRuntimeError('ToString: the value is NOT_SET', line);
      if (typeof v === 'object') return v.id;
      return String(v);
    },
  },
  ToInt: {
    arity: 1,
    run: ([v], _s, line) => {
      const n = typeof v === 'number' ? v : Number(text(v!, line, 'ToInt'));
      if (!Number.isFinite(n)) throw new FlowRuntimeError(`ToInt: "${String(v)}" is not a number`, line);
      return Math.trunc(n);
    },
  },
  Replace: {
    arity: 3,
    run: ([s, from, to], _s, line) =>
      text(s!, line, 'Replace').split(text(from!, line, 'Replace')).join(text(to!, line, 'Replace')),
  },
  Contains: { arity: 2, run: ([s, part], _s, line) => text(s!, line, 'Contains').includes(text(part!, line, 'Contains')) },
  FindQueueById: {
    arity: 1,
    run: ([id], scope, line) => scope.findQueueById(text(id!, line, 'FindQueueById')),
  },
};

/** The function names the subset supports (documented in the README). */
export const supportedFunctions: readonly string[] = Object.keys(functions);

interface Token {
  kind: 'str' | 'num' | 'id' | 'op' | 'end';
  v: string;
}

function tokenize(src: string, line: number): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      // Architect string literals are double-quoted; a quote inside is written \" (or "").
      let s = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new FlowLoadError(`unterminated string in expression: ${src}`, line);
        const d = src[i]!;
        if (d === '\\' && i + 1 < src.length) {
          s += src[i + 1];
          i += 2;
        } else if (d === '"' && src[i + 1] === '"') {
          s += '"';
          i += 2;
        } else if (d === '"') {
          i++;
          break;
        } else {
          s += d;
          i++;
        }
      }
      out.push({ kind: 'str', v: s });
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(src.slice(i))![0];
      out.push({ kind: 'num', v: m });
      i += m.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(src.slice(i))![0];
      out.push({ kind: 'id', v: m });
      i += m.length;
    } else {
      const two = src.slice(i, i + 2);
      if (['==', '!=', '<>', '<=', '>=', '&&', '||'].includes(two)) {
        out.push({ kind: 'op', v: two });
        i += 2;
      } else if ('+-*/<>(),!'.includes(c)) {
        out.push({ kind: 'op', v: c });
        i++;
      } else {
        throw new FlowLoadError(`unexpected character "${c}" in expression: ${src}`, line);
      }
    }
  }
  out.push({ kind: 'end', v: '' });
  return out;
}

const precedence: Record<string, number> = {
  or: 1, '||': 1,
  and: 2, '&&': 2,
  '==': 3, '!=': 3, '<>': 3, '<': 3, '<=': 3, '>': 3, '>=': 3,
  '+': 4, '-': 4,
  '*': 5, '/': 5,
};

/** Parses one Architect expression; an unknown function or bad syntax fails here, at load. */
export function parseExpression(src: string, line: number): Expression {
  const tokens = tokenize(src, line);
  let pos = 0;
  const peek = () => tokens[pos]!;
  const fail = (why: string): never => {
    throw new FlowLoadError(`${why} in expression: ${src}`, line);
  };
  const expect = (v: string) => {
    if (peek().v !== v) fail(`expected "${v}", got "${peek().v || 'end'}"`);
    pos++;
  };
  const binaryOp = (): string | undefined => {
    const t = peek();
    if (t.kind === 'op' && t.v in precedence) return t.v;
    if (t.kind === 'id' && (t.v.toLowerCase() === 'and' || t.v.toLowerCase() === 'or')) return t.v.toLowerCase();
    return undefined;
  };
  const primary = (): Ast => {
    const t = tokens[pos++]!;
    if (t.kind === 'str') return { t: 'lit', v: t.v };
    if (t.kind === 'num') return { t: 'lit', v: Number(t.v) };
    if (t.kind === 'op' && t.v === '(') {
      const inner = parse(0);
      expect(')');
      return inner;
    }
    if (t.kind === 'op' && t.v === '!') return { t: 'not', arg: primary() };
    if (t.kind === 'op' && t.v === '-') return { t: 'neg', arg: primary() };
    if (t.kind === 'id') {
      const lower = t.v.toLowerCase();
      if (lower === 'not') return { t: 'not', arg: primary() };
      if (lower === 'true' || lower === 'false') return { t: 'lit', v: lower === 'true' };
      if (t.v === 'NOT_SET') return { t: 'lit', v: null };
      if (peek().v === '(') {
        pos++;
        const spec = functions[t.v];
        if (!spec) fail(`unsupported function ${t.v} (supported: ${supportedFunctions.join(', ')})`);
        const args: Ast[] = [];
        if (peek().v !== ')') {
          for (;;) {
            args.push(parse(0));
            if (peek().v !== ',') break;
            pos++;
          }
        }
        expect(')');
        if (args.length !== spec!.arity) fail(`${t.v} takes ${spec!.arity} argument(s), got ${args.length}`);
        return { t: 'call', fn: t.v, args };
      }
      if (!t.v.includes('.')) fail(`"${t.v}" is not a variable (variables are Flow.x, Task.x, State.x or Message.x)`);
      return { t: 'var', name: t.v };
    }
    return fail(`unexpected "${t.v || 'end'}"`);
  };
  const parse = (min: number): Ast => {
    let left = primary();
    for (;;) {
      const op = binaryOp();
      if (op === undefined || precedence[op]! < min) break;
      pos++;
      const right = parse(precedence[op]! + 1);
      left = { t: 'bin', op, left, right };
    }
    return left;
  };
  const ast = parse(0);
  if (peek().kind !== 'end') fail(`unexpected "${peek().v}"`);
  return { text: src, line, evaluate: (scope) => evaluate(ast, scope, line) };
}

function equal(a: FlowValue, b: FlowValue): boolean {
  if (a !== null && typeof a === 'object') a = a.id;
  if (b !== null && typeof b === 'object') b = b.id;
  return a === b;
}

function evaluate(ast: Ast, scope: ExpressionScope, line: number): FlowValue {
  switch (ast.t) {
    case 'lit':
      return ast.v;
    case 'var':
      return scope.read(ast.name);
    case 'not':
      return !truthy(evaluate(ast.arg, scope, line), line);
    case 'neg': {
      const v = evaluate(ast.arg, scope, line);
      if (typeof v !== 'number') throw new FlowRuntimeError('unary minus needs a number', line);
      return -v;
    }
    case 'call': {
      if (ast.fn === 'If') {
        const [cond, yes, no] = ast.args as [Ast, Ast, Ast];
        return evaluate(truthy(evaluate(cond, scope, line), line) ? yes : no, scope, line);
      }
      const args = ast.args.map((a) => evaluate(a, scope, line));
      return functions[ast.fn]!.run!(args, scope, line);
    }
    case 'bin': {
      if (ast.op === 'and' || ast.op === '&&') return truthy(evaluate(ast.left, scope, line), line) && truthy(evaluate(ast.right, scope, line), line);
      if (ast.op === 'or' || ast.op === '||') return truthy(evaluate(ast.left, scope, line), line) || truthy(evaluate(ast.right, scope, line), line);
      const l = evaluate(ast.left, scope, line);
      const r = evaluate(ast.right, scope, line);
      switch (ast.op) {
        case '==':
          return equal(l, r);
        case '!=':
        case '<>':
          return !equal(l, r);
        case '+':
          if (typeof l === 'number' && typeof r === 'number') return l + r;
          return text(l, line, '+') + text(r, line, '+');
        default: {
          if (typeof l !== 'number' || typeof r !== 'number') {
            if (typeof l === 'string' && typeof r === 'string' && ['<', '<=', '>', '>='].includes(ast.op)) return compare(ast.op, l, r);
            throw new FlowRuntimeError(`"${ast.op}" needs two numbers, got ${JSON.stringify(l)} and ${JSON.stringify(r)}`, line);
          }
          if (ast.op === '-') return l - r;
          if (ast.op === '*') return l * r;
          if (ast.op === '/') return l / r;
          return compare(ast.op, l, r);
        }
      }
    }
  }
}

function compare(op: string, l: number | string, r: number | string): boolean {
  if (op === '<') return l < r;
  if (op === '<=') return l <= r;
  if (op === '>') return l > r;
  return l >= r;
}

function truthy(v: FlowValue, line: number): boolean {
  if (typeof v !== 'boolean') throw new FlowRuntimeError(`a condition must be a Boolean, got ${JSON.stringify(v)}`, line);
  return v;
}
