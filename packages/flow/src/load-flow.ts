import { parseExpression, type Expression, type FlowValue } from './expression.js';
import { FlowLoadError } from './flow-error.js';
import { asList, asMap, asText, parseSource, singleEntry, type SourceNode } from './yaml-source.js';

/** A value an action reads: an expression, a literal, or NOT_SET (`noValue: true`). */
export type ValueSource = { kind: 'exp'; exp: Expression } | { kind: 'lit'; value: FlowValue } | { kind: 'noValue' };

export interface Statement {
  readonly variable: string;
  readonly value: ValueSource;
  readonly line: number;
}

interface ActionBase {
  readonly name: string;
  readonly line: number;
}

export type FlowAction =
  | (ActionBase & {
      type: 'callDigitalBotFlow';
      botFlow: string;
      exitReason?: string;
      intent?: string;
      /** Slot name → the variable it is bound to. */
      slots: ReadonlyMap<string, string>;
    })
  | (ActionBase & {
      type: 'callData';
      integration: string;
      dataAction: string;
      inputs: ReadonlyMap<string, ValueSource>;
      successOutputs: ReadonlyMap<string, string>;
      success: readonly FlowAction[];
      failure: readonly FlowAction[];
      timeout: readonly FlowAction[];
    })
  | (ActionBase & { type: 'decision'; condition: ValueSource; yes: readonly FlowAction[]; no: readonly FlowAction[] })
  | (ActionBase & {
      type: 'switch';
      cases: readonly { value: ValueSource; actions: readonly FlowAction[] }[];
      otherwise: readonly FlowAction[];
    })
  | (ActionBase & { type: 'updateData'; statements: readonly Statement[] })
  | (ActionBase & { type: 'setParticipantData'; attributes: readonly { name: ValueSource; value: ValueSource }[] })
  | (ActionBase & { type: 'sendResponse'; message: ValueSource })
  | (ActionBase & { type: 'transferToAcd'; queue: ValueSource; priority?: ValueSource; failure: readonly FlowAction[] })
  | (ActionBase & { type: 'disconnect' })
  | (ActionBase & { type: 'changeState'; target: string })
  | (ActionBase & { type: 'endState' });

export interface FlowState {
  readonly refId: string;
  readonly name: string;
  readonly line: number;
  readonly actions: readonly FlowAction[];
}

export interface FlowVariable {
  readonly name: string;
  readonly initial: ValueSource;
  readonly line: number;
}

/** A loaded inbound message flow: every action and expression already checked. */
export interface InboundMessageFlow {
  readonly name: string;
  readonly startState: string;
  readonly states: ReadonlyMap<string, FlowState>;
  readonly variables: readonly FlowVariable[];
  /** Data actions the flow calls, by name, with the line of their first call (checked before running). */
  readonly dataActions: ReadonlyMap<string, number>;
}

/** The action types of the subset (documented in the README). */
export const supportedActions = [
  'callDigitalBotFlow',
  'callData',
  'decision',
  'switch',
  'updateData',
  'setParticipantData',
  'sendResponse',
  'transferToAcd',
  'disconnect',
  'changeState',
  'endState',
] as const;

/** Variable declaration keys (`- stringVariable: {name, initialValue}`) and update statement types. */
const variableTypes = ['string', 'integer', 'decimal', 'boolean', 'queue'];

const flowTypeKey = 'inboundShortMessage';

function loadValue(node: SourceNode | undefined, what: string, line: number): ValueSource {
  if (!node) throw new FlowLoadError(`${what} is missing`, line);
  // A bare scalar is taken as a literal (hand-written files); Archy writes {lit: …} or {exp: …}.
  if (node.kind === 'scalar') return node.value === null ? { kind: 'noValue' } : { kind: 'lit', value: node.value };
  if (node.kind === 'list') throw new FlowLoadError(`${what} must be a value (exp, lit or noValue)`, node.line);
  const exp = node.entries.get('exp');
  if (exp) return { kind: 'exp', exp: parseExpression(asText(exp, `${what}.exp`, node.line), exp.line) };
  const lit = node.entries.get('lit');
  if (lit) {
    if (lit.kind === 'scalar') return { kind: 'lit', value: lit.value };
    // A queue literal: {lit: {name: Support}} or {lit: {id: …}}.
    const entries = asMap(lit, `${what}.lit`, lit.line);
    const id = entries.get('id');
    if (id) return { kind: 'lit', value: { kind: 'queue', id: asText(id, 'id', lit.line) } };
    throw new FlowLoadError(`${what}.lit: only text, numbers, Booleans and {id: …} queues are supported`, lit.line);
  }
  if (node.entries.has('noValue')) return { kind: 'noValue' };
  throw new FlowLoadError(`${what} must have exp, lit or noValue`, node.line);
}

function variableName(node: SourceNode | undefined, what: string, line: number): string {
  if (!node) throw new FlowLoadError(`${what} is missing`, line);
  // Outputs bind to {var: Flow.x}; a bare name is accepted too.
  const name = node.kind === 'map' ? asText(node.entries.get('var'), `${what}.var`, node.line) : asText(node, what, line);
  if (!/^(Flow|Task|State)\.[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new FlowLoadError(`${what}: "${name}" is not a writable variable (Flow.x, Task.x or State.x)`, node.line);
  }
  return name;
}

function nestedActions(outputs: ReadonlyMap<string, SourceNode> | undefined, key: string, ctx: LoadContext): FlowAction[] {
  const branch = outputs?.get(key);
  if (!branch || (branch.kind === 'scalar' && branch.value === null)) return [];
  const entries = asMap(branch, `outputs.${key}`, branch.line);
  return loadActions(entries.get('actions'), ctx);
}

interface LoadContext {
  readonly dataActions: Map<string, number>;
  readonly changeTargets: { ref: string; line: number }[];
}

function loadAction(item: SourceNode, ctx: LoadContext): FlowAction {
  const { key, value, line } = singleEntry(item, 'action');
  if (!(supportedActions as readonly string[]).includes(key)) {
    throw new FlowLoadError(`unsupported action ${key} (supported: ${supportedActions.join(', ')})`, line);
  }
  const body = value.kind === 'scalar' && value.value === null ? new Map<string, SourceNode>() : asMap(value, key, line);
  const name = body.has('name') ? asText(body.get('name'), 'name', line) : key;
  const outputs = body.get('outputs') ? asMap(body.get('outputs'), `${key}.outputs`, line) : undefined;
  switch (key) {
    case 'callDigitalBotFlow': {
      // digitalBotFlow: {<bot flow name>: {ver_latestPublished: {outputs: {<slot>: {var: Flow.x}},
      // exitReason: {var: …}, intent: {var: …}}}}. exitReason/intent are read under the version (as
      // public generators write them for callAgenticVirtualAgent) or on the action itself: UNCONFIRMED which.
      const flowRef = asMap(body.get('digitalBotFlow'), 'digitalBotFlow', line);
      const [botFlow, version] = [...flowRef][0] ?? fail('digitalBotFlow names no bot flow', line);
      const slots = new Map<string, string>();
      const bound = new Map<string, SourceNode>();
      for (const key of ['exitReason', 'intent']) if (body.get(key)) bound.set(key, body.get(key)!);
      if (version.kind === 'map') {
        for (const [, ver] of version.entries) {
          if (ver.kind !== 'map') continue;
          const out = ver.entries.get('outputs');
          if (out) for (const [slot, v] of asMap(out, 'outputs', ver.line)) slots.set(slot, variableName(v, `slot ${slot}`, ver.line));
          for (const key of ['exitReason', 'intent']) if (ver.entries.get(key)) bound.set(key, ver.entries.get(key)!);
        }
      }
      return {
        type: 'callDigitalBotFlow',
        name,
        line,
        botFlow,
        slots,
        ...(bound.get('exitReason') && { exitReason: variableName(bound.get('exitReason'), 'exitReason', line) }),
        ...(bound.get('intent') && { intent: variableName(bound.get('intent'), 'intent', line) }),
      };
    }
    case 'callData': {
      // category: {<integration>: {dataAction: {<action name>: {inputs, successOutputs}}}}
      const category = asMap(body.get('category'), 'category', line);
      const [integration, catBody] = [...category][0] ?? fail('category names no integration', line);
      const actions = asMap(asMap(catBody, integration, catBody.line).get('dataAction'), 'dataAction', catBody.line);
      const [dataAction, actionBody] = [...actions][0] ?? fail('dataAction names no data action', catBody.line);
      const ab = actionBody.kind === 'map' ? actionBody.entries : new Map<string, SourceNode>();
      const inputs = new Map<string, ValueSource>();
      if (ab.get('inputs')) for (const [k, v] of asMap(ab.get('inputs'), 'inputs', actionBody.line)) inputs.set(k, loadValue(v, `input ${k}`, actionBody.line));
      const successOutputs = new Map<string, string>();
      if (ab.get('successOutputs')) {
        for (const [k, v] of asMap(ab.get('successOutputs'), 'successOutputs', actionBody.line)) {
          if (v.kind === 'map' && v.entries.has('noValue')) continue;
          successOutputs.set(k, variableName(v, `output ${k}`, actionBody.line));
        }
      }
      if (!ctx.dataActions.has(dataAction)) ctx.dataActions.set(dataAction, line);
      return {
        type: 'callData',
        name,
        line,
        integration,
        dataAction,
        inputs,
        successOutputs,
        success: nestedActions(outputs, 'success', ctx),
        failure: nestedActions(outputs, 'failure', ctx),
        timeout: nestedActions(outputs, 'timeout', ctx),
      };
    }
    case 'decision':
      return {
        type: 'decision',
        name,
        line,
        condition: loadValue(body.get('condition'), 'condition', line),
        yes: nestedActions(outputs, 'yes', ctx),
        no: nestedActions(outputs, 'no', ctx),
      };
    case 'switch': {
      const firstTrue = asMap(asMap(body.get('evaluate'), 'evaluate', line).get('firstTrue'), 'evaluate.firstTrue', line);
      const cases = asList(firstTrue.get('cases'), 'cases').map((c) => {
        const { key: k, value: cv, line: cl } = singleEntry(c, 'case');
        if (k !== 'case') throw new FlowLoadError(`expected "case", got "${k}"`, cl);
        const cb = asMap(cv, 'case', cl);
        return { value: loadValue(cb.get('value'), 'case value', cl), actions: loadActions(cb.get('actions'), ctx) };
      });
      const def = firstTrue.get('default');
      const otherwise = def && def.kind === 'map' ? loadActions(def.entries.get('actions'), ctx) : [];
      return { type: 'switch', name, line, cases, otherwise };
    }
    case 'updateData': {
      const statements = asList(body.get('statements'), 'statements').map((s) => {
        const { key: t, value: sv, line: sl } = singleEntry(s, 'statement');
        if (!variableTypes.includes(t)) throw new FlowLoadError(`unsupported statement type ${t} (supported: ${variableTypes.join(', ')})`, sl);
        const sb = asMap(sv, t, sl);
        return { variable: variableName(sb.get('variable'), 'variable', sl), value: loadValue(sb.get('value'), 'value', sl), line: sl };
      });
      return { type: 'updateData', name, line, statements };
    }
    case 'setParticipantData': {
      const attributes = asList(body.get('attributes'), 'attributes').map((a) => {
        const { key: k, value: av, line: al } = singleEntry(a, 'attribute');
        if (k !== 'attribute') throw new FlowLoadError(`expected "attribute", got "${k}"`, al);
        const ab = asMap(av, 'attribute', al);
        return { name: loadValue(ab.get('name'), 'attribute name', al), value: loadValue(ab.get('value'), 'attribute value', al) };
      });
      return { type: 'setParticipantData', name, line, attributes };
    }
    case 'sendResponse':
      return { type: 'sendResponse', name, line, message: loadValue(body.get('messageBody'), 'messageBody', line) };
    case 'transferToAcd':
      return {
        type: 'transferToAcd',
        name,
        line,
        queue: loadValue(body.get('targetQueue'), 'targetQueue', line),
        ...(body.get('priority') && { priority: loadValue(body.get('priority'), 'priority', line) }),
        failure: nestedActions(outputs, 'failure', ctx),
      };
    case 'changeState': {
      const target = stateRef(asText(body.get('targetStateRef'), 'targetStateRef', line), line);
      ctx.changeTargets.push({ ref: target, line });
      return { type: 'changeState', name, line, target };
    }
    case 'disconnect':
      return { type: 'disconnect', name, line };
    default:
      return { type: 'endState', name, line };
  }
}

function fail(message: string, line: number): never {
  throw new FlowLoadError(message, line);
}

function loadActions(node: SourceNode | undefined, ctx: LoadContext): FlowAction[] {
  return asList(node, 'actions').map((a) => loadAction(a, ctx));
}

/** `/inboundShortMessage/states/state[Initial State_10]` → `Initial State_10`. */
function stateRef(ref: string, line: number): string {
  const m = /^\/inboundShortMessage\/states\/state\[(.+)\]$/.exec(ref);
  if (!m) throw new FlowLoadError(`"${ref}" is not a state reference (/inboundShortMessage/states/state[<refId>])`, line);
  return m[1]!;
}

/**
 * Loads an inbound message flow written in Archy's YAML format (the subset in the README).
 * Anything outside the subset (another flow type, an unknown action or function) is a
 * FlowLoadError naming it and its line, so a flow never fails half-way for a reason known at load.
 */
export function loadFlow(text: string): InboundMessageFlow {
  const root = asMap(parseSource(text), 'the document', 1);
  const top = root.get(flowTypeKey);
  if (!top) {
    const other = [...root.keys()][0];
    throw new FlowLoadError(`only ${flowTypeKey} flows are supported${other ? `, got ${other}` : ''}`, 1);
  }
  const flow = asMap(top, flowTypeKey, top.line);
  const name = asText(flow.get('name'), 'name', top.line);
  const ctx: LoadContext = { dataActions: new Map(), changeTargets: [] };
  const startState = stateRef(asText(flow.get('startUpRef'), 'startUpRef', top.line), flow.get('startUpRef')!.line);
  for (const key of ['tasks', 'menus']) {
    const n = flow.get(key);
    if (n && asList(n, key).length > 0) throw new FlowLoadError(`${key} are not supported (only states)`, n.line);
  }
  const variables = asList(flow.get('variables'), 'variables').map((v) => {
    const { key, value, line } = singleEntry(v, 'variable');
    const type = key.replace(/Variable$/, '');
    if (!key.endsWith('Variable') || !variableTypes.includes(type)) {
      throw new FlowLoadError(`unsupported variable type ${key} (supported: ${variableTypes.map((t) => `${t}Variable`).join(', ')})`, line);
    }
    const vb = asMap(value, key, line);
    const initial = vb.get('initialValue');
    return { name: variableName(vb.get('name'), 'name', line), initial: initial ? loadValue(initial, 'initialValue', line) : { kind: 'noValue' as const }, line };
  });
  const states = new Map<string, FlowState>();
  for (const item of asList(flow.get('states'), 'states')) {
    const { key, value, line } = singleEntry(item, 'state');
    if (key !== 'state') throw new FlowLoadError(`expected "state", got "${key}"`, line);
    const sb = asMap(value, 'state', line);
    const stateName = asText(sb.get('name'), 'state name', line);
    const refId = sb.has('refId') ? asText(sb.get('refId'), 'refId', line) : stateName;
    if (states.has(refId)) throw new FlowLoadError(`two states have the refId "${refId}"`, line);
    states.set(refId, { refId, name: stateName, line, actions: loadActions(sb.get('actions'), ctx) });
  }
  if (!states.has(startState)) throw new FlowLoadError(`startUpRef names the state "${startState}", which is not defined`, flow.get('startUpRef')!.line);
  for (const t of ctx.changeTargets) {
    if (!states.has(t.ref)) throw new FlowLoadError(`changeState targets the state "${t.ref}", which is not defined`, t.line);
  }
  return { name, startState, states, variables, dataActions: ctx.dataActions };
}
