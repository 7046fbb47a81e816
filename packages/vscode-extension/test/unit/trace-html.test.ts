import * as assert from 'node:assert/strict';
import type { HandoffTrace } from '@baton/core';
import { renderTraceHtml } from '../../src/model/trace-html.js';

const trace: HandoffTrace = {
  handoffId: 'h-1',
  conversationId: 'c-1',
  startedAt: '2025-01-01T00:00:00.000Z',
  durationMs: 100,
  status: 'ready_for_transfer',
  steps: [
    {
      step: 'buildTranscript',
      startedAt: '2025-01-01T00:00:00.010Z',
      durationMs: 40,
      outcome: 'ok',
      summary: '3 messages',
      calls: [{ route: 'getMessages', method: 'POST', path: '/api/v2/x', status: 200, durationMs: 12, retries: 1, responseBody: { text: '<img src=x onerror=alert(1)>' } }],
    },
  ],
  calls: [],
  transcript: 'Customer: <script>alert(1)</script>',
};

describe('trace webview document', () => {
  const html = renderTraceHtml(trace, { nonce: 'N0NCE', cspSource: 'vscode-resource:', org: 'Sandbox', title: 'T' });

  it('allows only the nonce-carrying style and script', () => {
    assert.match(html, /default-src 'none'/);
    assert.match(html, /script-src 'nonce-N0NCE'/);
    assert.match(html, /style-src 'nonce-N0NCE'/);
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.deepEqual(scripts, ['<script nonce="N0NCE">']);
    assert.ok(!/ style="/.test(html), 'no inline style attributes (they would need unsafe-inline)');
  });

  it('escapes customer text and upstream bodies', () => {
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(!html.includes('<img src=x'));
  });

  it('shows each step on the timeline with its calls, retries and duration', () => {
    assert.match(html, /data-step="buildTranscript"/);
    assert.match(html, /data-left="10\.00" data-width="40\.00"/);
    assert.match(html, /POST \/api\/v2\/x → 200/);
    assert.match(html, /1 retries/);
  });
});
