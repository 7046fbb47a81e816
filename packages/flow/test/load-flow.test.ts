import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { FlowLoadError, loadFlow, parseExpression, type ExpressionScope, type FlowValue } from '../src/index.js';

/** A minimal valid flow whose one state runs `actions` (YAML, indented for the actions list). */
function flowWith(actions: string): string {
  return [
    'inboundShortMessage:',
    '  name: Test',
    '  startUpRef: "/inboundShortMessage/states/state[Main_1]"',
    '  states:',
    '    - state:',
    '        name: Main',
    '        refId: Main_1',
    '        actions:',
    actions,
  ].join('\n');
}

function loadError(text: string): FlowLoadError {
  try {
    loadFlow(text);
  } catch (error) {
    assert.ok(error instanceof FlowLoadError, String(error));
    return error;
  }
  assert.fail('the flow loaded');
}

const scope = (vars: Record<string, FlowValue>): ExpressionScope => ({
  read: (name) => vars[name] ?? null,
  findQueueById: (id) => (id === 'q-1' ? { kind: 'queue', id, name: 'Support' } : null),
});

describe('loadFlow: what is outside the subset fails at load, naming it and its line', () => {
  it('when an action is not in the subset, then the error names it and its line', () => {
    const error = loadError(
      flowWith(
        [
          '          - sendResponse:',
          '              messageBody:',
          '                lit: hello',
          '          - playAudio:',
          '              name: Play',
        ].join('\n'),
      ),
    );
    assert.equal(error.line, 12);
    assert.match(error.message, /^line 12: unsupported action playAudio/);
  });

  it('when an expression calls an unknown function, then the error names the function and the line of the expression', () => {
    const error = loadError(
      flowWith(
        [
          '          - updateData:',
          '              statements:',
          '                - string:',
          '                    variable: Flow.x',
          '                    value:',
          '                      exp: ToUpper(Message.ConversationId)',
        ].join('\n'),
      ),
    );
    assert.equal(error.line, 14);
    assert.match(error.message, /unsupported function ToUpper/);
  });

  it('when the flow is another flow type, or changeState names a missing state, then it is refused', () => {
    assert.match(loadError('inboundCall:\n  name: x\n').message, /only inboundShortMessage flows are supported, got inboundCall/);
    const error = loadError(flowWith('          - changeState:\n              targetStateRef: "/inboundShortMessage/states/state[Nowhere_2]"'));
    assert.equal(error.line, 9);
    assert.match(error.message, /Nowhere_2/);
  });

  it('when the flow is in the subset, then every action is loaded with its line', () => {
    const flow = loadFlow(flowWith('          - disconnect:\n              name: Bye'));
    const action = flow.states.get('Main_1')!.actions[0]!;
    assert.deepEqual([action.type, action.name, action.line], ['disconnect', 'Bye', 9]);
  });
});

describe('Architect expressions (the subset)', () => {
  it("evaluates bridge/README.md's slots expression, escaping ; and % and leaving unfilled slots empty", () => {
    const text =
      '"orderNumber=" + If(IsNotSetOrEmpty(Flow.orderNumber), "", Replace(Replace(Flow.orderNumber, "%", "%25"), ";", "%3B")) + ";quantity=" + If(IsNotSetOrEmpty(Flow.quantity), "", ToString(Flow.quantity))';
    const exp = parseExpression(text, 1);
    assert.equal(exp.evaluate(scope({ 'Flow.orderNumber': 'A;1%', 'Flow.quantity': 3 })), 'orderNumber=A%3B1%25;quantity=3');
    // If is lazy: Replace never sees the NOT_SET value.
    assert.equal(exp.evaluate(scope({})), 'orderNumber=;quantity=');
  });

  it('compares, combines with and/or/not, and finds queues', () => {
    const s = scope({ 'Flow.status': 'ready_for_transfer', 'Flow.priority': 5, 'Flow.q': 'q-1' });
    assert.equal(parseExpression('Flow.status == "ready_for_transfer" and Flow.priority >= 5', 1).evaluate(s), true);
    assert.equal(parseExpression('not (Flow.priority < 5) or Flow.status != "x"', 1).evaluate(s), true);
    assert.equal(parseExpression('Flow.priority * 2 + 1 == 11 and !IsSet(Flow.none)', 1).evaluate(s), true);
    assert.deepEqual(parseExpression('FindQueueById(Flow.q)', 1).evaluate(s), { kind: 'queue', id: 'q-1', name: 'Support' });
    assert.equal(parseExpression('FindQueueById("nope")', 1).evaluate(s), null);
  });

  it('refuses syntax it does not know, and a wrong number of arguments, at parse time', () => {
    assert.throws(() => parseExpression('Replace(Flow.x, "a")', 7), /line 7: Replace takes 3 argument/);
    assert.throws(() => parseExpression('Flow.x ==', 3), /line 3: unexpected "end"/);
    assert.throws(() => parseExpression('orderNumber', 2), /is not a variable/);
  });
});
