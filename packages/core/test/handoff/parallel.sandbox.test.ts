import assert from 'node:assert/strict';
import { createSandbox, type Sandbox } from '@baton/sandbox';
import { createGenesysClient, type GenesysClient } from '../../src/genesys/client.js';
import { resolveTarget } from '../../src/genesys/target.js';
import { createHandoffService } from '../../src/handoff/service.js';

/**
 * The pipeline runs independent Platform API calls at the same time: the conversation fetch, the
 * queue lookup and (api mode) the generic conversation fetch do not wait for each other. Measured
 * without timing: the sandbox's latency seam counts how many calls are inside Genesys at once.
 */
describe('handoff pipeline parallelism (sandbox)', () => {
  let sandbox: Sandbox;
  let client: GenesysClient;
  let inside = 0;
  let mostInside = 0;

  before(async () => {
    sandbox = await createSandbox({
      conversations: 0,
      // Long enough that calls sent together overlap inside the sandbox even on a loaded machine.
      latencyMs: 150,
      sleep: async (ms) => {
        inside += 1;
        mostInside = Math.max(mostInside, inside);
        await new Promise((resolve) => setTimeout(resolve, ms));
        inside -= 1;
      },
    });
    client = createGenesysClient({ target: resolveTarget({ baseUrl: sandbox.url }), clientId: sandbox.clientId, clientSecret: sandbox.clientSecret });
    await client.checkToken();
  });
  after(async () => {
    await client.close();
    await sandbox.close();
  });

  const service = () =>
    // A new service per test: a cold queue cache, so the queue lookup is one of the calls.
    createHandoffService({ genesys: client, config: { defaultQueueId: sandbox.queues[0]!.id } });

  it('flow mode: the conversation fetch and the queue lookup are in flight together', async () => {
    mostInside = 0;
    const { output } = await service().handoff({ conversationId: sandbox.scenarios.lowConfidence, mode: 'flow' });
    assert.equal(output.status, 'ready_for_transfer');
    assert.ok(mostInside >= 2, `at most ${mostInside} call(s) were in flight at once`);
  });

  it('api mode: the conversation fetch, the queue lookup and the generic conversation fetch are in flight together', async () => {
    mostInside = 0;
    const { output } = await service().handoff({ conversationId: sandbox.scenarios.outOfOrder, mode: 'api' });
    assert.equal(output.status, 'transferred');
    assert.ok(mostInside >= 3, `at most ${mostInside} call(s) were in flight at once`);
  });
});
