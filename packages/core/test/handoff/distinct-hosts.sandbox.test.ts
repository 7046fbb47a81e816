import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'mocha';
import { BatonError } from '../../src/errors.js';
import { resolveTarget } from '../../src/genesys/target.js';
import { startHarness, type Harness } from './harness.js';

/**
 * Issue #14, section 6: login.{domain} and api.{domain} are two hosts in every region
 * (docs/genesys-facts.md#regions). The sandbox used to serve both on one URL, so a client that sent
 * the token request to the API host (or the reverse) passed every test.
 */
describe('distinct login and API hosts (sandbox with separateLoginHost)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('when the target is the sandbox URL pair, then a whole handoff gets its token from the login host and calls the API host', async () => {
    h = await startHarness({
      sandbox: { separateLoginHost: true },
      target: (sb) => resolveTarget({ baseUrl: sb.url, loginBaseUrl: sb.loginUrl }),
    });
    assert.notEqual(new URL(h.sandbox.loginUrl).port, new URL(h.sandbox.url).port);
    assert.equal(h.client.target.loginBaseUrl, h.sandbox.loginUrl);
    const { output } = await h.service.handoff({ conversationId: h.sandbox.scenarios.lowConfidence });
    assert.ok(['transferred', 'ready_for_transfer'].includes(output.status), output.status);
    assert.equal(h.sandbox.counters.snapshot().tokenRequests, 1);
  });

  it('when the token request goes to the API host, then it fails (the sandbox really separates the hosts)', async () => {
    h = await startHarness({ sandbox: { separateLoginHost: true } });
    const error = await h.client.getMessageConversation(h.sandbox.scenarios.lowConfidence).then(
      () => assert.fail('expected the token request to fail'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof BatonError, String(error));
    assert.match(error.message, /404|token/i);
    assert.equal(h.sandbox.counters.snapshot().byRoute['getConversationsMessage'], undefined);
  });

  it('when loginBaseUrl is not a URL, then the target is refused naming loginBaseUrl', () => {
    assert.throws(() => resolveTarget({ baseUrl: 'http://127.0.0.1:1', loginBaseUrl: 'not a url' }), (e: unknown) => {
      return (e as { details?: { field?: string } }).details?.field === 'loginBaseUrl';
    });
  });
});
