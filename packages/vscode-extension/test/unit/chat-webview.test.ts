import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { renderChatHtml } from '../../src/chat/chat-html.js';
import { parseWebviewMessage, MAX_CHAT_TEXT } from '../../src/chat/chat-protocol.js';
import { agentDataEntry } from '@baton/sandbox';

const options = {
  nonce: 'n0nce+/=',
  cspSource: 'https://webview.example',
  scriptUri: 'https://webview.example/media/chat.js',
  styleUri: 'https://webview.example/media/chat.css',
  org: '<img src=x onerror=alert(1)>',
};

describe('Chat as Customer webview: document and protocol', () => {
  it('has a strict CSP: nothing by default, only the nonce\'d script file, styles from the extension, no network', () => {
    const html = renderChatHtml({ ...options, org: 'Sandbox' });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /^default-src 'none'; /);
    assert.match(csp, /script-src 'nonce-n0nce\+\/='(;|$)/);
    assert.match(csp, /style-src https:\/\/webview\.example(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|connect-src/);
    // One script element, an external file carrying the nonce; no inline code, no inline handlers or styles.
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    assert.deepEqual(scripts, ['<script nonce="n0nce+/=" src="https://webview.example/media/chat.js">']);
    assert.match(html, /<script [^>]*><\/script>/);
    assert.doesNotMatch(html, /\son[a-z]+=|style="|<style/);
  });

  it('escapes the org name (the only dynamic text in the markup)', () => {
    const html = renderChatHtml(options);
    assert.ok(!html.includes('<img src=x'));
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
  });

  it('the script renders with textContent only (no innerHTML, no eval) and has the New conversation and Save buttons it wires', () => {
    const js = readFileSync(new URL('../../media/chat.js', import.meta.url), 'utf8');
    assert.doesNotMatch(js, /innerHTML|outerHTML|insertAdjacentHTML|eval\(|new Function/);
    const html = renderChatHtml(options);
    for (const id of ['new', 'save', 'say-form', 'say', 'messages', 'handoff', 'agent', 'agent-form', 'agent-disconnect', 'typing', 'error']) {
      assert.ok(html.includes(`id="${id}"`), id);
      assert.ok(js.includes(`'${id}'`), `chat.js uses #${id}`);
    }
  });

  it('parses what the webview may send and refuses anything else', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'say', text: '  hi  ' }), { ok: true, message: { type: 'say', text: 'hi' } });
    assert.equal(parseWebviewMessage({ type: 'say', text: '   ' }).ok, false);
    assert.equal(parseWebviewMessage({ type: 'say', text: 'x'.repeat(MAX_CHAT_TEXT + 1) }).ok, false);
    assert.equal(parseWebviewMessage({ type: 'say', text: 'hi', extra: 1 }).ok, false);
    assert.equal(parseWebviewMessage({ type: 'runCommand', command: 'workbench.action.terminal.new' }).ok, false);
    assert.equal(parseWebviewMessage('say').ok, false);
  });

  it('shows participant data as the agent sees it: agent-visible names without their prefix, display prefixes applied', () => {
    assert.deepEqual(agentDataEntry('conversationDetails.participantData.Baton Summary', 'longtext:a\nb'), {
      key: 'conversationDetails.participantData.Baton Summary',
      label: 'Baton Summary',
      value: 'a\nb',
      display: 'longtext',
      agentVisible: true,
    });
    assert.deepEqual(agentDataEntry('bot.confidence', 'number:0.4'), { key: 'bot.confidence', label: 'bot.confidence', value: 'number:0.4', display: 'text', agentVisible: false });
  });
});
