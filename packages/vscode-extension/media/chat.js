// The "Chat as Customer" webview (loaded by its nonce, see src/chat/chat-html.ts). It only renders
// the state the extension host posts ({type:'state', state}: ChatState in src/chat/chat-protocol.ts)
// and posts the user's actions back (WebviewToHost, parsed by the host with zod). Everything it
// shows goes in through textContent, never parsed as HTML: a message may contain markup.
/* global acquireVsCodeApi, document, window */
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  const $ = (id) => document.getElementById(id);
  const TYPING_EVERY_MS = 4000;
  let lastTyping = 0;
  let lastCount = -1;

  function el(tag, props, children) {
    const node = document.createElement(tag);
    if (props) {
      for (const [k, v] of Object.entries(props)) {
        if (k === 'text') node.textContent = v;
        else if (k === 'className') node.className = v;
        else node.setAttribute(k, v);
      }
    }
    for (const c of children || []) if (c) node.append(c);
    return node;
  }

  // replaceChildren would show a null as the text "null".
  const present = (nodes) => nodes.filter(Boolean);

  function time(iso) {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString();
  }

  function renderMessages(state) {
    const list = $('messages');
    list.replaceChildren(
      ...state.messages.map((m) =>
        el('li', { className: `msg ${m.from}` }, [
          el('span', { className: 'who', text: m.from === 'customer' ? 'You' : m.nickname ? `${m.nickname} (${m.from})` : m.from }),
          el('span', { className: 'when', text: time(m.time) }),
          el('p', { className: 'text', text: m.text }),
        ]),
      ),
    );
    if (state.messages.length !== lastCount) {
      lastCount = state.messages.length;
      list.lastElementChild?.scrollIntoView({ block: 'nearest' });
    }
  }

  function dataTables(entries) {
    const visible = entries.filter((e) => e.agentVisible);
    const hidden = entries.filter((e) => !e.agentVisible);
    const table = (list) =>
      el('dl', { className: 'data' }, list.flatMap((e) => [el('dt', { text: e.label }), el('dd', {}, [renderValue(e)])]));
    return [
      el('h3', { text: 'Participant data (as the agent sees it)' }),
      visible.length ? table(visible) : el('p', { className: 'empty', text: '(none)' }),
      hidden.length ? el('details', {}, [el('summary', { text: `Other participant data, not shown to agents (${hidden.length})` }), table(hidden)]) : null,
    ];
  }

  // A real org (UNCONFIRMED): the handoff as its Platform API shows it; Baton's trace is in the deployed bridge.
  function renderOrgHandoff(o) {
    const box = $('handoff');
    box.replaceChildren(...present([
      el('p', { className: 'unconfirmed', text: 'UNCONFIRMED' }),
      el('p', { className: 'meta', text: o.note }),
      el('dl', { className: 'facts' }, [
        el('dt', { text: 'Queue' }), el('dd', { text: o.queue }),
        el('dt', { text: 'Priority' }), el('dd', { text: o.priority !== undefined ? String(o.priority) : '(not shown)' }),
        el('dt', { text: 'Agent' }), el('dd', { text: o.agentAnswered ? 'answered' : o.settled ? 'left the queue' : 'waiting in the queue' }),
      ]),
      ...dataTables(o.participantData),
    ]));
  }

  function renderHandoff(h, org) {
    const box = $('handoff');
    if (!h && org) return renderOrgHandoff(org);
    if (!h) {
      box.replaceChildren(el('p', { className: 'empty', text: 'No handoff yet: Baton is called when the flow reaches its data action.' }));
      return;
    }
    const facts = el('dl', { className: 'facts' }, [
      el('dt', { text: 'Status' }), el('dd', { text: `${h.status} · ${Math.round(h.durationMs)} ms` }),
      el('dt', { text: 'Decision rule' }), el('dd', { text: h.decisionRule || '(none)' }),
      el('dt', { text: 'Routing' }), el('dd', { text: h.routingRule || '(none)' }),
      el('dt', { text: 'Handoff id' }), el('dd', {}, [el('code', { text: h.handoffId })]),
    ]);
    const steps = el(
      'ol',
      { className: 'steps' },
      h.steps.map((s) =>
        el('li', { className: `step ${s.outcome}` }, [
          el('div', { className: 'row' }, [
            el('b', { text: s.step }),
            el('span', { text: s.outcome }),
            el('span', { className: 'ms', text: `${Math.round(s.durationMs)} ms` }),
          ]),
          el('p', { className: 'summary', text: s.summary }),
          s.calls.length
            ? el(
                'ul',
                { className: 'calls', 'aria-label': 'Platform API calls' },
                s.calls.map((c) =>
                  el('li', { className: c.status >= 400 || c.status === 0 ? 'call err' : 'call' }, [
                    el('code', { text: `${c.method} ${c.path} → ${c.status}` }),
                    el('span', { text: ` ${Math.round(c.durationMs)} ms${c.retries ? ` · ${c.retries} retries` : ''}${c.error ? ` · ${c.error}` : ''}` }),
                  ]),
                ),
              )
            : null,
        ]),
      ),
    );
    box.replaceChildren(...present([facts, h.error ? el('p', { className: 'error', text: h.error }) : null, steps]));
  }

  function renderValue(entry) {
    // How the agent's UI shows it: long text as a block, identifiers bold.
    if (entry.display === 'longtext') return el('pre', { className: 'longtext', text: entry.value });
    if (entry.display === 'identifier') return el('b', { text: entry.value });
    return el('span', { className: entry.display, text: entry.value });
  }

  function renderAgent(a) {
    const box = $('agent');
    if (!a) {
      box.replaceChildren(el('p', { className: 'empty', text: 'No agent has answered.' }));
      return;
    }
    box.replaceChildren(...present([
      el('p', { className: 'meta', text: `${a.agent} answered in ${a.queue}${a.priority !== undefined ? `, priority ${a.priority}` : ''} at ${time(a.answeredAt)}` }),
      ...dataTables(a.participantData),
      el('h3', { text: 'Messages the agent sees' }),
      el('ol', { className: 'agent-messages' }, a.messages.map((m) => el('li', {}, [el('b', { text: `${m.from}: ` }), document.createTextNode(m.text)]))),
    ]));
  }

  function render(state) {
    $('org').textContent = state.org;
    $('status').textContent = state.status === 'ended' ? 'ended (start a new conversation to chat again)' : state.status;
    $('conversation').textContent = state.conversationId || '';
    renderMessages(state);
    const typing = $('typing');
    typing.hidden = !state.typing;
    typing.textContent = state.typing ? `${state.typing === 'agent' ? 'The agent' : 'The bot'} is typing…` : '';
    const error = $('error');
    error.hidden = !state.error;
    error.textContent = state.error || '';
    const saved = $('saved');
    saved.hidden = !state.savedFile;
    saved.textContent = state.savedFile ? `Saved as ${state.savedFile}` : '';
    const canSay = state.status === 'open';
    $('say').disabled = !canSay;
    $('say-form').querySelector('button').disabled = !canSay;
    $('save').disabled = !state.messages.some((m) => m.from === 'customer');
    renderHandoff(state.handoff, state.orgHandoff);
    renderAgent(state.agentView);
    $('agent-form').hidden = !(state.canActAsAgent && state.agentView && state.status === 'open');
  }

  function submit(inputId, type) {
    const input = $(inputId);
    const text = input.value.trim();
    if (!text) return;
    vscode.postMessage({ type, text });
    input.value = '';
  }

  $('say-form').addEventListener('submit', (e) => {
    e.preventDefault();
    submit('say', 'say');
  });
  $('say').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      submit('say', 'say');
    }
  });
  $('say').addEventListener('input', () => {
    const now = Date.now();
    if (now - lastTyping >= TYPING_EVERY_MS) {
      lastTyping = now;
      vscode.postMessage({ type: 'typing' });
    }
  });
  $('agent-form').addEventListener('submit', (e) => {
    e.preventDefault();
    submit('agent-say', 'agentSays');
  });
  $('agent-disconnect').addEventListener('click', () => vscode.postMessage({ type: 'agentDisconnect' }));
  $('new').addEventListener('click', () => {
    vscode.postMessage({ type: 'newConversation' });
    $('say').focus();
  });
  $('save').addEventListener('click', () => vscode.postMessage({ type: 'saveScenario' }));

  window.addEventListener('message', (event) => {
    const message = event.data;
    if (message && message.type === 'state' && message.state) render(message.state);
  });
  vscode.postMessage({ type: 'ready' });
  $('say').focus();
})();
