import * as assert from 'node:assert/strict';
import { createLogger } from '@baton/bridge';
import { createChannelLogger } from '../../src/log/channel-logger.js';

function capture(): { lines: string[]; append: (text: string) => void } {
  const lines: string[] = [];
  return { lines, append: (text) => lines.push(text) };
}

describe('the output channel logger', () => {
  it('when the extension logs, then the line has the shape of a bridge line (pino JSON: level label, ISO time, service, msg)', () => {
    const channel = capture();
    const { extension } = createChannelLogger({ append: channel.append, secrets: () => [] });
    extension.info({ org: 'Sandbox' }, 'org connected');

    const bridgeLines: string[] = [];
    createLogger({ level: 'info', destination: { write: (l: string) => bridgeLines.push(l) } }).info({ org: 'Sandbox' }, 'org connected');

    assert.equal(channel.lines.length, 1);
    assert.ok(channel.lines[0]!.endsWith('\n'), 'one line per entry');
    const ours = JSON.parse(channel.lines[0]!) as Record<string, unknown>;
    const theirs = JSON.parse(bridgeLines[0]!) as Record<string, unknown>;
    assert.deepEqual(Object.keys(ours).filter((k) => k !== 'component').sort(), Object.keys(theirs).sort());
    assert.equal(ours.level, 'info');
    assert.equal(ours.service, theirs.service);
    assert.equal(ours.component, 'vscode');
    assert.equal(ours.msg, 'org connected');
    assert.ok(!Number.isNaN(Date.parse(String(ours.time))) && String(ours.time).endsWith('Z'), 'ISO time');
  });

  it('when a line carries a secret (in a field, in the message, as a Bearer token), then it is redacted as the bridge redacts it', () => {
    const channel = capture();
    const secrets: string[] = [];
    const { root, extension } = createChannelLogger({ append: channel.append, secrets: () => secrets });
    // Known only after the logger exists, like the sandbox's client secret or the dev API key.
    secrets.push('s3cret-client-value');
    extension.warn({ detail: 'token s3cret-client-value', headers: { authorization: 'Bearer abc.def' } }, 'failed with s3cret-client-value');
    root.error({ clientSecret: 'named-secret' }, 'bridge line');
    const text = channel.lines.join('');
    assert.ok(!text.includes('s3cret-client-value'), text);
    assert.ok(!text.includes('abc.def'), text);
    assert.ok(!text.includes('named-secret'), text);
    assert.equal(channel.lines.length, 2);
  });

  it('when a level is below the logger level, then nothing is written', () => {
    const channel = capture();
    createChannelLogger({ append: channel.append, secrets: () => [] }).extension.debug('noise');
    assert.deepEqual(channel.lines, []);
  });
});
