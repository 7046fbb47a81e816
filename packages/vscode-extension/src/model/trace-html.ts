import type { HandoffTrace, UpstreamCall } from '@baton/core';

export interface TraceHtmlOptions {
  /** A fresh random value per render: the only inline style and script allowed by the CSP. */
  nonce: string;
  /** The webview's `cspSource`, for nothing but images today; kept so a stylesheet can be added without weakening the CSP. */
  cspSource: string;
  org: string;
  title: string;
}

/**
 * The trace webview's whole document. Pure (no vscode), so the escaping and the CSP are unit
 * tested. Everything shown comes from a stored, already redacted trace, and is HTML-escaped: a
 * customer's message may contain markup.
 */
export function renderTraceHtml(trace: HandoffTrace, options: TraceHtmlOptions): string {
  const { nonce } = options;
  const csp = [
    "default-src 'none'",
    `img-src ${options.cspSource} data:`,
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const total = Math.max(trace.durationMs, 1);
  const start = Date.parse(trace.startedAt);
  const steps = trace.steps
    .map((s) => {
      const offset = Number.isFinite(start) ? Math.max(0, Date.parse(s.startedAt) - start) : 0;
      const left = Math.min(100, (offset / total) * 100);
      const width = Math.max(0.5, Math.min(100 - left, (s.durationMs / total) * 100));
      return `<li class="step ${esc(s.outcome)}" data-step="${esc(s.step)}">
  <div class="row"><span class="name">${esc(s.step)}</span><span class="outcome">${esc(s.outcome)}</span><span class="ms">${ms(s.durationMs)}</span></div>
  <div class="track"><div class="bar" data-left="${left.toFixed(2)}" data-width="${width.toFixed(2)}"></div></div>
  <div class="summary">${esc(s.summary)}</div>
  ${s.calls.length > 0 ? `<ol class="calls">${s.calls.map(renderCall).join('')}</ol>` : ''}
</li>`;
    })
    .join('\n');
  const error = trace.error
    ? `<p class="error">${esc(trace.error.code)}: ${esc(trace.error.message)}${trace.error.contextId ? ` (contextId ${esc(trace.error.contextId)})` : ''}</p>`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${esc(options.title)}</title>
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1rem; }
  h1 { font-size: 1.2rem; } .meta { opacity: .8; } .error { color: var(--vscode-errorForeground); }
  ol.steps { list-style: none; padding: 0; } li.step { margin: .8rem 0; }
  .row { display: flex; gap: 1rem; font-weight: bold; } .ms { margin-left: auto; font-variant-numeric: tabular-nums; }
  .track { position: relative; height: .6rem; background: var(--vscode-editorWidget-background); margin: .2rem 0; }
  .bar { position: absolute; top: 0; bottom: 0; background: var(--vscode-progressBar-background); }
  .failed .bar { background: var(--vscode-errorForeground); } .skipped .bar { opacity: .4; }
  .summary { opacity: .85; } ol.calls { font-family: var(--vscode-editor-font-family); font-size: .9em; }
  pre { white-space: pre-wrap; background: var(--vscode-textCodeBlock-background); padding: .5rem; }
  .status-err { color: var(--vscode-errorForeground); }
</style>
</head>
<body>
<h1>${esc(options.title)}</h1>
<p class="meta">Org <b>${esc(options.org)}</b> · conversation <code>${esc(trace.conversationId)}</code> · status <b class="status">${esc(trace.status)}</b> · ${ms(trace.durationMs)} · ${trace.calls.length} API calls · handoff <code>${esc(trace.handoffId)}</code></p>
${error}
<h2>Steps</h2>
<ol class="steps">
${steps}
</ol>
<h2>Transcript</h2>
<pre class="transcript">${trace.transcript ? esc(trace.transcript) : '(none)'}</pre>
<script nonce="${nonce}">
  // Bar geometry is data, applied here: inline style attributes would need 'unsafe-inline'.
  for (const bar of document.querySelectorAll('.bar')) {
    bar.style.left = bar.dataset.left + '%';
    bar.style.width = bar.dataset.width + '%';
  }
</script>
</body>
</html>`;
}

function renderCall(call: UpstreamCall): string {
  const status = call.status >= 400 || call.status === 0 ? 'status-err' : '';
  const body = (label: string, value: unknown): string =>
    value === undefined ? '' : `<details><summary>${label}</summary><pre>${esc(JSON.stringify(value, null, 2))}</pre></details>`;
  return `<li class="call"><span class="${status}">${esc(call.method)} ${esc(call.path)} → ${call.status}</span> ${ms(call.durationMs)}${
    call.retries > 0 ? ` · ${call.retries} retries` : ''
  }${call.contextId ? ` · contextId ${esc(call.contextId)}` : ''}${call.error ? ` · ${esc(call.error)}` : ''}
${body('request', call.requestBody)}${body('response', call.responseBody)}</li>`;
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

export function esc(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
