import type { Sandbox } from '@baton/sandbox';
import type { InboundAuthConfig } from '../config.js';
import type { SandboxLoop } from '../conversation-loop.js';

/** Quotes a string for a POSIX shell. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The default run's message: loud about the fake org, one ready-to-paste curl line that hands off
 * a seeded conversation, and ids that show the other outcomes. A configured credential is never
 * printed: the curl line refers to its environment variable instead; only a generated dev key
 * (valid for this run, on this machine) is printed as is.
 */
export function sandboxBanner(options: { url: string; sandbox: Sandbox; auth: InboundAuthConfig; devApiKey?: string; loop?: SandboxLoop }): string {
  const { url, sandbox, auth, devApiKey, loop } = options;
  const s = sandbox.scenarios;
  const body = JSON.stringify({ conversationId: s.lowConfidence });
  let credential: string;
  let authNote: string;
  if (devApiKey) {
    credential = `-H ${shellQuote(`X-API-Key: ${devApiKey}`)}`;
    authNote = `No inbound credentials configured: generated a DEV-ONLY API key for this run (X-API-Key: ${devApiKey}). It dies with the process; configure BATON_API_KEY / BATON_BASIC_* / BATON_OAUTH_* for anything real.`;
  } else if (auth.apiKey !== undefined) {
    credential = '-H "X-API-Key: $BATON_API_KEY"';
    authNote = 'Inbound auth: X-API-Key from BATON_API_KEY (export it in your shell for the curl line).';
  } else if (auth.basic) {
    credential = '-u "$BATON_BASIC_USER:$BATON_BASIC_PASSWORD"';
    authNote = 'Inbound auth: Basic from BATON_BASIC_USER / BATON_BASIC_PASSWORD (export them in your shell for the curl line).';
  } else {
    credential = '-H "Authorization: Bearer $TOKEN"';
    authNote = `Inbound auth: OAuth only. Get a token first: TOKEN=$(curl -sS -u "$BATON_OAUTH_CLIENT_ID:$BATON_OAUTH_CLIENT_SECRET" -d grant_type=client_credentials ${url}/oauth/token | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`;
  }
  const curl = `curl -sS -X POST ${url}/v1/actions/handoff -H 'Content-Type: application/json' ${credential} -d ${shellQuote(body)}`;
  const bar = '='.repeat(78);
  return [
    '',
    bar,
    ' SANDBOX MODE: no GENESYS_CLIENT_ID/GENESYS_CLIENT_SECRET, so the bridge talks to a SIMULATED',
    ` Genesys Cloud org running in this process (${sandbox.url}). Nothing reaches a real org.`,
    bar,
    ` ${authNote}`,
    '',
    ...(loop
      ? [
          ` Open the sandbox console in a browser: chat as the customer and watch the flow, Baton's trace and the agent;`,
          ` several conversations side by side, or replay an example scenario:`,
          '',
          `   ${sandbox.consoleUrl}`,
          '',
          ' Or chat as the customer (the bot answers; ask for an agent, or say "refund for order 12345"): in another terminal,',
          '',
          `pnpm baton chat --url ${sandbox.webMessagingUrl} --deployment-id ${sandbox.deploymentId}`,
          '',
          ` Any Web Messaging Guest API client works too: ${sandbox.webMessagingUrl}/v1?deploymentId=${sandbox.deploymentId}`,
          ` The flow it runs (Archy YAML) and the data actions it calls: ${loop.dir}`,
          '',
        ]
      : []),
    ' Hand off a seeded low-confidence conversation (paste this):',
    '',
    curl,
    '',
    ' Other seeded conversations (replace the conversationId):',
    `   ${s.highConfidence}  highConfidence    -> status bot_keeps`,
    `   ${s.alreadyHandedOff}  alreadyHandedOff  -> status already_handed_off`,
    `   ${s.noMessages}  noMessages        -> no transcript (POST /v1/actions/transcript: status no_transcript)`,
    `   ${s.analyticsOnly}  analyticsOnly     -> confidence read from bot-flow analytics`,
    `   ${s.withPii}  withPii           -> e-mail, card and phone masked in the transcript (add "mask":"false" to see them)`,
    '',
    ` Endpoints: POST /v1/actions/{assess-intent,transcript,hand-to-queue,handoff}; GET /openapi.json, /metrics (auth), /healthz, /readyz`,
    bar,
    '',
  ].join('\n');
}
