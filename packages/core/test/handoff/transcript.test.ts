import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { Models } from 'purecloud-platform-client-v2';
import {
  luhnValid,
  maskSensitive,
  NO_TRANSCRIPT,
  renderTranscript,
  selectMessageIds,
  speakerOf,
  toTranscriptEntries,
  truncationMarker,
  type TranscriptEntry,
} from '../../src/handoff/transcript.js';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, s)).toISOString();

function msg(
  id: string,
  s: number,
  dir: 'inbound' | 'outbound',
  text: string,
  extra: Partial<Models.MessageData> = {},
  nm: Partial<Models.ConversationNormalizedMessage> = {},
): Models.MessageData {
  return {
    id,
    timestamp: at(s),
    direction: dir,
    status: 'sent',
    normalizedMessage: {
      type: 'Text',
      text,
      direction: dir === 'inbound' ? 'Inbound' : 'Outbound',
      originatingEntity: dir === 'inbound' ? 'Human' : 'Bot',
      ...nm,
    },
    ...extra,
  };
}

const prefix = 'Agent, the customer requires assistance. Chat history follows:';

describe('handoff/transcript', () => {
  describe('ordering and labelling', () => {
    it('orders by timestamp, not by listing order, and skips receipts, events and empty messages', () => {
      const entries = toTranscriptEntries([
        msg('m4', 32, 'outbound', 'What is the new address?'),
        msg('m1', 5, 'inbound', 'Hi, I moved house'),
        msg('r1', 33, 'outbound', '', {}, { type: 'Receipt' }),
        msg('m3', 30, 'inbound', 'I need to change my delivery address'),
        msg('e1', 40, 'inbound', '', {}, { type: 'Event' }),
        msg('m2', 7, 'outbound', 'Hello! How can I help you today?'),
        msg('m5', 55, 'inbound', '12   High Street,\nSpringfield'),
      ]);
      assert.deepEqual(
        entries.map((e) => e.id),
        ['m1', 'm2', 'm3', 'm4', 'm5'],
      );
      assert.equal(entries[4]?.text, '12 High Street, Springfield', 'whitespace collapsed to one line');
    });

    it('keeps listing order for equal timestamps', () => {
      const entries = toTranscriptEntries([
        msg('b', 5, 'inbound', 'first'),
        msg('a', 5, 'outbound', 'second'),
      ]);
      assert.deepEqual(
        entries.map((e) => e.id),
        ['b', 'a'],
      );
    });

    it('labels inbound as customer, outbound Bot as bot, outbound Human (or created by a user) as agent', () => {
      assert.equal(speakerOf(msg('1', 1, 'inbound', 'x')), 'customer');
      assert.equal(speakerOf(msg('2', 1, 'outbound', 'x')), 'bot');
      assert.equal(speakerOf(msg('3', 1, 'outbound', 'x', {}, { originatingEntity: 'Human' })), 'agent');
      assert.equal(
        speakerOf(
          msg(
            '4',
            1,
            'outbound',
            'x',
            { createdBy: { id: 'u1' } as Models.User },
            { originatingEntity: undefined },
          ),
        ),
        'agent',
      );
      assert.equal(speakerOf(msg('5', 1, 'outbound', 'x', {}, { originatingEntity: undefined })), 'bot');
    });

    it('shows attachments', () => {
      const [entry] = toTranscriptEntries([
        msg(
          '1',
          1,
          'inbound',
          '',
          {},
          {
            content: [
              { contentType: 'Attachment', attachment: { mediaType: 'Image', filename: 'receipt.png' } },
            ],
          },
        ),
      ]);
      assert.equal(entry?.text, '[attachment: receipt.png]');
    });
  });

  describe('selectMessageIds', () => {
    it('collects ids of every participant once, oldest first, keeping the newest within the limit', () => {
      const conversation: Models.MessageConversation = {
        participants: [
          {
            purpose: 'customer',
            messages: [
              { messageId: 'c2', messageTime: at(30) },
              { messageId: 'c1', messageTime: at(5) },
            ],
          },
          {
            purpose: 'workflow',
            messages: [
              { messageId: 'b1', messageTime: at(7) },
              { messageId: 'c1', messageTime: at(5) },
            ],
          },
          { purpose: 'acd' },
        ],
      };
      assert.deepEqual(selectMessageIds(conversation), { ids: ['c1', 'b1', 'c2'], omitted: 0 });
      assert.deepEqual(selectMessageIds(conversation, 2), { ids: ['b1', 'c2'], omitted: 1 });
    });
  });

  describe('renderTranscript (budget)', () => {
    const entries: TranscriptEntry[] = Array.from({ length: 50 }, (_, i) => ({
      id: String(i),
      speaker: i % 2 === 0 ? 'customer' : 'bot',
      text: `message ${i} ${'x'.repeat(30)}`,
      at: i,
    }));

    it('when everything fits, then prefix and every line, untruncated', () => {
      const out = renderTranscript(entries.slice(0, 2), { maxChars: 4000, mask: false, prefix });
      assert.equal(
        out.transcript,
        `${prefix}\n[customer] message 0 ${'x'.repeat(30)}\n[bot] message 1 ${'x'.repeat(30)}`,
      );
      assert.deepEqual([out.messageCount, out.droppedCount, out.truncated], [2, 0, false]);
    });

    it('when over budget, then the oldest are dropped first, a marker says how many, and the budget holds', () => {
      const out = renderTranscript(entries, { maxChars: 500, mask: false, prefix });
      assert.ok(out.transcript.length <= 500, `${out.transcript.length}`);
      assert.equal(out.truncated, true);
      assert.equal(out.messageCount + out.droppedCount, 50);
      const lines = out.transcript.split('\n');
      assert.equal(lines[0], prefix);
      assert.equal(lines[1], truncationMarker(out.droppedCount));
      assert.ok(lines.at(-1)?.startsWith('[bot] message 49 '), 'the newest message is kept');
      assert.ok(
        lines[2]?.includes(`message ${out.droppedCount} `),
        'what is kept is contiguous up to the newest',
      );
      // It is the most that fits: one more line would overflow.
      assert.ok(
        out.transcript.length + `[customer] message ${out.droppedCount - 1} ${'x'.repeat(30)}`.length + 1 >
          500,
      );
    });

    it('when even the newest message is too long, then its beginning is kept and marked', () => {
      const long: TranscriptEntry[] = [
        { id: 'a', speaker: 'customer', text: 'old', at: 1 },
        { id: 'b', speaker: 'customer', text: 'y'.repeat(1000), at: 2 },
      ];
      const out = renderTranscript(long, { maxChars: 200, mask: false, prefix });
      assert.equal(out.transcript.length, 200);
      assert.ok(out.transcript.endsWith('…'));
      assert.match(out.transcript, /\[1 earlier message omitted\]\n\[customer\] yyyy/);
      assert.deepEqual([out.messageCount, out.droppedCount, out.truncated], [1, 1, true]);
    });

    it('when there are no messages, then the seed text', () => {
      assert.deepEqual(renderTranscript([], { maxChars: 500, mask: false, prefix }), {
        transcript: NO_TRANSCRIPT,
        messageCount: 0,
        droppedCount: 0,
        truncated: false,
      });
    });

    it('masks before fitting, when asked', () => {
      const out = renderTranscript(
        [{ id: '1', speaker: 'customer', text: 'mail me at a.b@example.org', at: 1 }],
        { maxChars: 500, mask: true, prefix: '' },
      );
      assert.equal(out.transcript, '[customer] mail me at [email]');
    });
  });

  describe('maskSensitive', () => {
    it('masks e-mail addresses', () => {
      assert.equal(maskSensitive('My email is jane.doe@example.com, please'), 'My email is [email], please');
      assert.equal(maskSensitive('x+tag@mail.co.uk'), '[email]');
    });

    it('masks Luhn-valid card numbers of 13–19 digits with spaces or dashes, and leaves other numbers', () => {
      assert.equal(maskSensitive('New card 4111 1111 1111 1111, exp 12/29'), 'New card [card], exp 12/29');
      assert.equal(maskSensitive('card 5500-0000-0000-0004.'), 'card [card].');
      assert.equal(maskSensitive('amex 378282246310005'), 'amex [card]');
      assert.equal(
        maskSensitive('order 4111 1111 1111 1112'),
        'order 4111 1111 1111 1112',
        'fails Luhn: not a card',
      );
      assert.equal(
        maskSensitive('order 12345 4111 1111 1111 1111'),
        'order 12345 [card]',
        'card after another number',
      );
      assert.equal(
        maskSensitive('4111 1111 1111 1111 5500 0000 0000 0004'),
        '[card] [card]',
        'two cards in a row',
      );
      assert.equal(
        maskSensitive('pick 1 2 3 4 5 6 7 8 9 1 2 3 3'),
        'pick 1 2 3 4 5 6 7 8 9 1 2 3 3',
        'a list of small numbers',
      );
    });

    it('masks phone numbers, and leaves dates, order numbers and short numbers', () => {
      assert.equal(maskSensitive('Call me on +1 (555) 010-7788 if needed'), 'Call me on [phone] if needed');
      assert.equal(maskSensitive('ring 555-123-4567 or 0207 946 0958'), 'ring [phone] or [phone]');
      assert.equal(maskSensitive('+44 20 7946 0958'), '[phone]');
      assert.equal(maskSensitive('It is 12345, and order 98765'), 'It is 12345, and order 98765');
      assert.equal(maskSensitive('since 2024-05-06 at 10:30'), 'since 2024-05-06 at 10:30');
      assert.equal(maskSensitive('exp 12/29, 3 items'), 'exp 12/29, 3 items');
    });

    it('luhnValid', () => {
      assert.equal(luhnValid('4111111111111111'), true);
      assert.equal(luhnValid('4111111111111112'), false);
      assert.equal(luhnValid(''), false);
    });
  });
});
