import assert from 'node:assert/strict';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { actionContracts } from '@baton/core';
import { CREDS, startHarness, type Harness } from './helpers/harness.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const compressors = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync } as const;
type Encoding = keyof typeof compressors;

/** Valid compressed data, cut short and with a byte flipped: what a broken client or proxy sends. */
function broken(encoding: Encoding, text: string): Buffer {
  const whole = compressors[encoding](Buffer.from(text.repeat(20)));
  const cut = Buffer.from(whole.subarray(0, Math.max(4, Math.floor(whole.length / 2))));
  cut[cut.length - 1] = cut[cut.length - 1]! ^ 0xff;
  return cut;
}

/** fetch, not supertest: superagent re-serialises a Buffer body sent as JSON. */
async function post(url: string, headers: Record<string, string>, body: Buffer | string) {
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Record<string, unknown> };
}

describe('request bodies with a Content-Encoding', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  const noUnexpectedErrors = () => {
    const unexpected = h.logs.lines().filter((l) => l.msg === 'unexpected error' || (typeof l.level === 'string' && ['error', 'fatal'].includes(l.level)));
    assert.deepEqual(unexpected, [], 'no 5xx, no stack in the log');
  };

  for (const encoding of Object.keys(compressors) as Encoding[]) {
    for (const contract of actionContracts) {
      it(`POST ${contract.path} with a broken ${encoding} body: 400 naming the encoding, never 5xx`, async () => {
        const res = await post(
          `${h.url}${contract.path}`,
          { 'X-API-Key': CREDS.apiKey, 'Content-Type': 'application/json', 'Content-Encoding': encoding },
          broken(encoding, JSON.stringify({ conversationId: h.sandbox.scenarios.highConfidence })),
        );
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.equal(res.body.code, 'bad_request');
        assert.match(String(res.body.message), new RegExp(`Content-Encoding "${encoding}" but is not valid ${encoding} data`));
        noUnexpectedErrors();
      });
    }

    it(`POST /oauth/token with a broken ${encoding} body and no credentials: 400 (not 500)`, async () => {
      const res = await post(
        `${h.url}/oauth/token`,
        { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Encoding': encoding },
        broken(encoding, 'grant_type=client_credentials&'),
      );
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.match(String(res.body.message), new RegExp(`not valid ${encoding} data`));
      noUnexpectedErrors();
    });
  }

  it('an encoding the bridge does not know: 415 naming it', async () => {
    for (const path of ['/v1/actions/assess-intent', '/oauth/token']) {
      const res = await post(`${h.url}${path}`, { 'X-API-Key': CREDS.apiKey, 'Content-Type': 'application/json', 'Content-Encoding': 'compress' }, '{}');
      assert.equal(res.status, 415, path);
      assert.equal(res.body.code, 'unsupported_media_type');
      assert.match(String(res.body.message), /Content-Encoding "compress" is not supported/);
    }
    noUnexpectedErrors();
  });

  it('a valid gzip body still works, on an action and on /oauth/token', async () => {
    const action = await post(
      `${h.url}/v1/actions/assess-intent`,
      { 'X-API-Key': CREDS.apiKey, 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      gzipSync(JSON.stringify({ conversationId: h.sandbox.scenarios.highConfidence })),
    );
    assert.equal(action.status, 200, JSON.stringify(action.body));
    assert.equal(typeof action.body.status, 'string');

    const token = await post(
      `${h.url}/oauth/token`,
      { Authorization: basic(CREDS.oauthClientId, CREDS.oauthClientSecret), 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Encoding': 'gzip' },
      gzipSync('grant_type=client_credentials'),
    );
    assert.equal(token.status, 200, JSON.stringify(token.body));
    assert.equal(typeof token.body.access_token, 'string');
  });
});
