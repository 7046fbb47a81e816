import type { ConversationInspection } from '../backend/org-backend.js';

/** The Inspect Conversation document. Pure, so what the user reads is unit tested. */
export function inspectionMarkdown(org: string, i: ConversationInspection): string {
  const lines: string[] = [
    `# Conversation ${i.conversationId}`,
    '',
    `Org **${org}** · read-only inspection · ${i.apiCalls} API calls · nothing was changed.`,
    '',
    '## Intent',
    '',
    `- Intent: **${i.intent.intent || '(unknown)'}**`,
    `- Confidence: **${i.intent.confidence}** (source: \`${i.intent.source}\`, threshold ${i.intent.threshold})`,
    `- Decision: ${i.intent.handoffRecommended ? 'hand off to an agent' : 'the bot keeps it'} — ${i.intent.message}`,
    '',
    '## Participants',
    '',
  ];
  for (const p of i.participants) {
    lines.push(`### ${p.purpose}${p.name ? ` — ${p.name}` : ''} (${p.state})`, '', `id \`${p.id}\``, '');
    const keys = Object.keys(p.attributes).sort();
    if (keys.length === 0) {
      lines.push('_No participant data._', '');
    } else {
      lines.push('| Participant data | Value |', '| --- | --- |');
      for (const k of keys) lines.push(`| \`${cell(k)}\` | ${cell(p.attributes[k] ?? '')} |`);
      lines.push('');
    }
  }
  lines.push(
    '## Transcript as the agent will see it',
    '',
    `${i.transcript.messageCount} messages${i.transcript.truncated ? `, ${i.transcript.droppedCount} oldest dropped to fit` : ''}.`,
    '',
    '```text',
    i.transcript.transcript.replace(/```/g, '`\u200b``'),
    '```',
    '',
  );
  return lines.join('\n');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
