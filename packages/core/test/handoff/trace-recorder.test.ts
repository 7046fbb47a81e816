import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { UpstreamCall } from '../../src/contracts/trace.js';
import { handoffTraceSchema } from '../../src/contracts/trace.js';
import { createTraceRecorder } from '../../src/handoff/trace-recorder.js';

const call = (route: string, retries = 0, extra: Partial<UpstreamCall> = {}): UpstreamCall => ({
  route,
  method: 'GET',
  path: `/api/v2/${route}`,
  status: 200,
  durationMs: 5,
  retries,
  ...extra,
});

describe('handoff/trace-recorder', () => {
  it('keeps steps in start order, calls in arrival order, counts retries as requests, and forwards calls', () => {
    let clock = Date.UTC(2026, 0, 1);
    const forwarded: string[] = [];
    const recorder = createTraceRecorder({
      handoffId: 'h1',
      conversationId: 'c1',
      now: () => clock,
      forward: (c) => forwarded.push(c.route),
    });
    const assess = recorder.step('assessIntent');
    assess.onCall(call('a', 1));
    assess.end('ok', 'assessed');
    const transcript = recorder.step('buildTranscript');
    const queue = recorder.step('handToQueue');
    queue.onCall(call('q'));
    clock += 40;
    queue.end('ok', 'queued'); // Ends before the step that started earlier.
    transcript.onCall(call('t', 2));
    transcript.end('failed', 'bulk failed');

    const trace = handoffTraceSchema.parse(
      recorder.finish({ status: 'failed', error: { code: 'x', message: 'm' } }),
    );
    assert.deepEqual(
      trace.steps.map((s) => [s.step, s.outcome, s.calls.map((c) => c.route)]),
      [
        ['assessIntent', 'ok', ['a']],
        ['buildTranscript', 'failed', ['t']],
        ['handToQueue', 'ok', ['q']],
      ],
    );
    assert.deepEqual(
      trace.calls.map((c) => c.route),
      ['a', 'q', 't'],
    );
    assert.equal(recorder.requestCount(), 6);
    assert.deepEqual(forwarded, ['a', 'q', 't']);
    assert.equal(trace.durationMs, 40);
    assert.deepEqual(trace.error, { code: 'x', message: 'm' });
  });

  it('shows a step that never ended as failed, and a skipped step as skipped', () => {
    const recorder = createTraceRecorder({ handoffId: 'h', conversationId: 'c', now: () => 0 });
    recorder.step('assessIntent');
    recorder.skip('buildTranscript', 'bot keeps');
    const trace = recorder.finish({ status: 'failed' });
    assert.deepEqual(
      trace.steps.map((s) => [s.step, s.outcome, s.summary]),
      [
        ['assessIntent', 'failed', 'not finished'],
        ['buildTranscript', 'skipped', 'bot keeps'],
      ],
    );
  });

  it('redacts secrets in recorded request and response bodies', () => {
    const recorder = createTraceRecorder({ handoffId: 'h', conversationId: 'c', now: () => 0 });
    const step = recorder.step('handToQueue');
    step.onCall(
      call('postToken', 0, {
        requestBody: { client_secret: 's3cr3t' },
        responseBody: { access_token: 'tok' },
      }),
    );
    step.end('ok', '');
    const text = JSON.stringify(recorder.finish({ status: 'ok' }));
    assert.ok(!text.includes('s3cr3t') && !text.includes('"tok"'), text);
  });

  it('is the trace\'s one redaction edge: the error message and the transcript are redacted as they enter the finished trace', () => {
    const recorder = createTraceRecorder({ handoffId: 'h', conversationId: 'c', now: () => 0 });
    const trace = recorder.finish({
      status: 'failed',
      error: { code: 'genesys_unauthorized', message: 'refused Authorization: Bearer eyJ.abc.def' },
      transcript: 'customer: my key is ?access_token=tok-123 and Basic dXNlcjpwYXNz',
    });
    const text = JSON.stringify(trace);
    for (const leaked of ['eyJ.abc.def', 'tok-123', 'dXNlcjpwYXNz']) assert.ok(!text.includes(leaked), text);
    assert.equal(trace.error?.message, 'refused Authorization: Bearer [REDACTED]');
    assert.equal(trace.transcript, 'customer: my key is ?access_token=[REDACTED] and Basic [REDACTED]');
  });
});
