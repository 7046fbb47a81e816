import { esc } from '../model/trace-html.js';

export interface ChatHtmlOptions {
  /** A fresh random value per render: the only script the CSP lets run is the one carrying it. */
  nonce: string;
  /** The webview's `cspSource`: where its script and stylesheet are served from. */
  cspSource: string;
  /** `webview.asWebviewUri` of media/chat.js and media/chat.css. */
  scriptUri: string;
  styleUri: string;
  org: string;
}

/**
 * The Chat as Customer webview's document: static markup only. Everything dynamic (messages, the
 * trace, participant data) is put in by media/chat.js with `textContent`, never as HTML, so a
 * customer's or a bot's `<script>` stays text. No inline script or style: the CSP allows the
 * nonce'd script file and the stylesheet from the extension, and no network at all (the Guest API
 * connection lives in the extension host).
 */
export function renderChatHtml(options: ChatHtmlOptions): string {
  const { nonce, cspSource } = options;
  const csp = ["default-src 'none'", `style-src ${cspSource}`, `script-src 'nonce-${nonce}'`, `img-src ${cspSource} data:`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${esc(options.styleUri)}">
<title>Baton: Chat as Customer</title>
</head>
<body>
<header class="bar">
  <h1>Chat as Customer</h1>
  <span class="meta">Org <b id="org">${esc(options.org)}</b> · <span id="status" role="status">connecting</span> <code id="conversation"></code></span>
  <span class="actions">
    <button id="new" type="button" title="Start over with a new customer">New conversation</button>
    <button id="save" type="button" title="Write what just happened as a *.conversation.yaml">Save as Scenario</button>
  </span>
</header>
<p id="saved" class="saved" hidden></p>
<main class="columns">
  <section class="chat" aria-labelledby="chat-title">
    <h2 id="chat-title">Conversation</h2>
    <ol id="messages" class="messages" aria-live="polite" aria-relevant="additions"></ol>
    <p id="typing" class="typing" aria-live="polite" hidden></p>
    <p id="error" class="error" role="alert" hidden></p>
    <form id="say-form" class="composer">
      <label for="say">Message as the customer (Enter sends, Shift+Enter for a new line)</label>
      <textarea id="say" rows="2" maxlength="4096" placeholder="I want to talk to a human about my invoice"></textarea>
      <button type="submit">Send</button>
    </form>
  </section>
  <section class="org" aria-labelledby="handoff-title">
    <h2 id="handoff-title">Baton's handoff</h2>
    <div id="handoff"><p class="empty">No handoff yet: Baton is called when the flow reaches its data action.</p></div>
    <h2 id="agent-title">Agent's view</h2>
    <div id="agent"><p class="empty">No agent has answered.</p></div>
    <form id="agent-form" class="composer" hidden>
      <label for="agent-say">Reply as the agent</label>
      <textarea id="agent-say" rows="2" maxlength="4096"></textarea>
      <span class="row"><button type="submit">Send as agent</button><button id="agent-disconnect" type="button">End conversation</button></span>
    </form>
  </section>
</main>
<script nonce="${nonce}" src="${esc(options.scriptUri)}"></script>
</body>
</html>`;
}
