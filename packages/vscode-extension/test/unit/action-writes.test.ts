import * as assert from 'node:assert/strict';
import { actionContracts } from '@baton/core';
import { generateActions } from '@baton/data-actions';
import { actionContractOf, actionWrites } from '../../src/model/action-writes.js';

function actionCalling(url: string, name: string): unknown {
  return { name, config: { request: { requestUrlTemplate: url, requestType: 'POST' } }, contract: { input: { inputSchema: {} } } };
}

describe('whether a data action writes', () => {
  it("when the action was generated from a contract, then it follows the contract's writes flag", () => {
    const generated = generateActions({ baseUrl: 'https://bridge.example.com', auth: 'apikey' }).actions;
    assert.equal(generated.length, actionContracts.length);
    for (const g of generated) {
      assert.equal(actionContractOf(g.definition)?.id, g.id);
      assert.equal(actionWrites(g.definition), actionContracts.find((c) => c.id === g.id)!.writes, g.id);
    }
    assert.deepEqual(
      generated.filter((g) => actionWrites(g.definition)).map((g) => g.id),
      ['hand-to-queue', 'handoff'],
    );
  });

  it('when an action is renamed, then its request path still decides (not its name)', () => {
    assert.equal(actionWrites(actionCalling('https://bridge.example.com/v1/actions/hand-to-queue', 'Queue lookup')), true);
    assert.equal(actionWrites(actionCalling('https://bridge.example.com/v1/actions/assess-intent?x=1', 'Handoff check')), false);
    assert.equal(actionWrites(actionCalling('https://proxy.example.com/baton/v1/actions/transcript/', 'Handoff transcript')), false);
  });

  it('when an action carries a contract id, then that contract decides', () => {
    assert.equal(actionWrites({ id: 'assess-intent', name: 'x' }), false);
    assert.equal(actionWrites({ id: 'handoff', name: 'x' }), true);
  });

  it('when Baton has no contract for the action (any other workspace action), then it is treated as writing', () => {
    assert.equal(actionContractOf(actionCalling('https://api.example.com/v1/orders/${input.id}', 'Get order')), undefined);
    assert.equal(actionWrites(actionCalling('https://api.example.com/v1/orders/${input.id}', 'Get order')), true);
    assert.equal(actionWrites({ name: 'no config' }), true);
  });
});
