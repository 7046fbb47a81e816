import type { z } from 'zod';

/**
 * The machinery of the configuration table in config.ts: one entry per environment variable
 * (name, schema, default, documentation, secret flag), placed in the table where its value lands
 * in the config object. The parser, the config type, the README table and the secret list are all
 * derived from that one table, so they cannot drift.
 */

/** A default as the environment would spell it (it is parsed by the variable's schema like any value). */
export type EnvDefault = string | number | boolean;

export interface VariableSpec<Out, D extends EnvDefault | undefined> {
  schema: z.ZodType<Out>;
  /** Used when the variable is unset or empty. Reference the owner's constant, do not repeat the number. */
  default?: D;
  /** What the README shows as the default when it is not one value (HOST's depends on the mode). */
  shownDefault?: string;
  doc: string;
  /** `true`: the value is a secret. An object: the secret part of the value (REDIS_URL's password). */
  secret?: true | { part: string; of(value: Out): string | undefined };
}

/** One environment variable. `Required` is true when it has a default, so its value is always there. */
export class Variable<Out = unknown, Required extends boolean = boolean> {
  declare readonly required: Required;
  constructor(
    readonly name: string,
    readonly spec: VariableSpec<Out, EnvDefault | undefined>,
  ) {}
}

export function variable<Out, D extends EnvDefault | undefined = undefined>(
  name: string,
  spec: VariableSpec<Out, D>,
): Variable<Out, D extends EnvDefault ? true : false> {
  return new Variable(name, spec);
}

/**
 * Variables that only mean something together (a user and its password): the object is present
 * when every member without a default is set, absent when none is, and a half-set group names the
 * missing members.
 */
export class AllOrNone<Members extends Record<string, Variable>> {
  constructor(readonly members: Members) {}
}

export function allOrNone<Members extends Record<string, Variable>>(members: Members): AllOrNone<Members> {
  return new AllOrNone(members);
}

export interface Section {
  readonly [key: string]: TableNode;
}
export type TableNode = Variable | AllOrNone<Record<string, Variable>> | Section;

// The config type, inferred from the table: a variable with a default is a required property, one
// without is optional, an all-or-none group is an optional object of its members' values.
type ValueOf<N> =
  N extends Variable<infer Out, infer Required>
    ? Required extends true
      ? Out
      : Out | undefined
    : N extends AllOrNone<infer Members>
      ? { [K in keyof Members]: Members[K] extends Variable<infer Out> ? Out : never } | undefined
      : ShapeOf<N>;
type OptionalKeys<T> = { [K in keyof T]: undefined extends ValueOf<T[K]> ? K : never }[keyof T];
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type ShapeOf<T> = Simplify<
  { [K in Exclude<keyof T, OptionalKeys<T>>]: ValueOf<T[K]> } & {
    [K in OptionalKeys<T>]?: Exclude<ValueOf<T[K]>, undefined>;
  }
>;

/** A variable and where its value lands in the config object. */
export interface PlacedVariable {
  variable: Variable;
  path: readonly string[];
}

/** Every variable of the table, in table order. */
export function variablesOf(node: TableNode, path: readonly string[] = []): PlacedVariable[] {
  if (node instanceof Variable) return [{ variable: node, path }];
  const children: Section = node instanceof AllOrNone ? node.members : node;
  return Object.entries(children).flatMap(([key, child]) => variablesOf(child, [...path, key]));
}

export interface TableIssue {
  variable: string;
  problem: string;
}

/** Empty values count as unset: `.env` templates and container specs often carry `NAME=`. */
function rawValue(env: Readonly<Record<string, string | undefined>>, v: Variable): string | undefined {
  const raw = env[v.name];
  if (raw !== undefined && raw.trim() !== '') return raw;
  return v.spec.default === undefined ? undefined : String(v.spec.default);
}

/**
 * Parses every variable of the table from `env` and builds the config object it describes.
 * `parseIssues` are bad values; `groupIssues` half-set all-or-none groups (reported only when
 * every value parsed, as cross-variable rules are).
 */
export function parseTable(
  table: Section,
  env: Readonly<Record<string, string | undefined>>,
): { value: Record<string, unknown>; parseIssues: TableIssue[]; groupIssues: TableIssue[] } {
  const parseIssues: TableIssue[] = [];
  const groupIssues: TableIssue[] = [];
  const values = new Map<Variable, unknown>();
  for (const { variable: v } of variablesOf(table)) {
    const raw = rawValue(env, v);
    if (raw === undefined) continue;
    const result = v.spec.schema.safeParse(raw);
    if (result.success) values.set(v, result.data);
    else
      for (const issue of result.error.issues) parseIssues.push({ variable: v.name, problem: issue.message });
  }
  const build = (node: TableNode): unknown => {
    if (node instanceof Variable) return values.get(node);
    if (node instanceof AllOrNone) {
      const needed = Object.values(node.members).filter((m) => m.spec.default === undefined);
      const present = needed.filter((m) => values.has(m));
      if (present.length === 0) return undefined;
      if (present.length < needed.length) {
        const withNames = present.map((m) => m.name).join(' and ');
        for (const m of needed)
          if (!values.has(m)) groupIssues.push({ variable: m.name, problem: `required with ${withNames}` });
        return undefined;
      }
      return buildSection(node.members);
    }
    return buildSection(node);
  };
  const buildSection = (section: Section): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(section)) {
      const value = build(child);
      if (value !== undefined) out[key] = value;
    }
    return out;
  };
  return { value: buildSection(table), parseIssues, groupIssues };
}

/** The secret values of a parsed config, found where the table places its secret variables. */
export function secretsAt(table: Section, config: unknown): string[] {
  const secrets: string[] = [];
  for (const { variable: v, path } of variablesOf(table)) {
    const secret = v.spec.secret;
    if (secret === undefined) continue;
    let value: unknown = config;
    for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key];
    if (value === undefined) continue;
    const text = secret === true ? value : secret.of(value);
    if (typeof text === 'string' && text.length > 0) secrets.push(text);
  }
  return secrets;
}

/** Documentation of one variable, as the README's configuration table shows it. */
export interface ConfigVariable {
  name: string;
  description: string;
  default?: string;
  secret?: boolean;
}

export function describeVariable({ name, spec }: Variable): ConfigVariable {
  const shown = spec.shownDefault ?? (spec.default === undefined ? undefined : String(spec.default));
  return {
    name,
    description: spec.doc,
    ...(shown !== undefined && { default: shown }),
    ...(spec.secret !== undefined && { secret: true }),
  };
}

/** The README's configuration table (Markdown), one row per variable in table order. */
export function markdownTable(table: Section): string {
  const rows = variablesOf(table).map(({ variable: v }) => {
    const { spec } = v;
    const shown = spec.shownDefault ?? (spec.default === undefined ? '' : `\`${String(spec.default)}\``);
    const secret = spec.secret === undefined ? '' : spec.secret === true ? 'yes' : spec.secret.part;
    return `| \`${v.name}\` | ${shown} | ${secret} | ${spec.doc} |`;
  });
  return ['| Variable | Default | Secret | Meaning |', '|---|---|---|---|', ...rows].join('\n');
}

const TABLE_START =
  '<!-- config-table:start (generated by `pnpm --filter @baton/bridge docs:config`; do not edit) -->';
const TABLE_END = '<!-- config-table:end -->';

/** `readme` with the text between the configuration table's markers replaced by `table`. */
export function readmeWithTable(readme: string, table: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`the README has no ${TABLE_START} … ${TABLE_END} section`);
  return `${readme.slice(0, start + TABLE_START.length)}\n${table}\n${readme.slice(end)}`;
}
