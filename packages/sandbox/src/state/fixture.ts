import { z } from 'zod';

/** When a message was sent: an ISO-8601 timestamp, or seconds after the conversation started. */
const atSchema = z.union([z.iso.datetime({ offset: true }), z.number().min(0).max(7 * 86_400)]);

export const fixtureMessageSchema = z
  .object({
    from: z.enum(['customer', 'bot', 'agent']),
    /** Ignored for receipts and events (they carry no text). */
    text: z.string().max(10_000).default(''),
    at: atSchema.optional(),
    /**
     * `receipt` and `event` are the non-text entries a web-messaging conversation also lists
     * (delivery receipts, typing events); a transcript builder must skip them.
     */
    kind: z.enum(['text', 'receipt', 'event']).default('text'),
  })
  .strict();

/**
 * A conversation to seed into the sandbox org (`SandboxOrg.addConversation`,
 * `POST /__sandbox/conversations`).
 */
export const conversationFixtureSchema = z
  .object({
    /** Display name of the customer participant. */
    customerName: z.string().min(1).max(200).optional(),
    /** When it started: ISO-8601, or seconds relative to now (negative = in the past). Default: 10 minutes ago. */
    startedAt: z.union([z.iso.datetime({ offset: true }), z.number().min(-30 * 86_400).max(0)]).optional(),
    messages: z.array(fixtureMessageSchema).max(5_000).default([]),
    /** Participant data the bot flow wrote on the customer participant (values are strings, as in Genesys). */
    participantData: z.record(z.string().min(1), z.string()).optional(),
    /** A bot-flow session (and reporting turns) for this conversation in the bot flow's analytics. */
    botSession: z
      .object({
        intent: z.string().min(1),
        confidence: z.number().min(0).max(1),
      })
      .strict()
      .optional(),
    /** `inBot`: held by the flow running the bot. `inQueue`: the flow disconnected, an ACD participant waits in `queueId`. */
    state: z.enum(['inBot', 'inQueue']).default('inBot'),
    /** Queue of an `inQueue` conversation; default: the org's first queue. */
    queueId: z.string().optional(),
    /**
     * How `participants[].messages` lists the ids: `chronological`, `asWritten` (the order of
     * `messages` above, whatever their times) or `shuffled`. Web messaging gives no ordering
     * guarantee, so clients must sort by timestamp.
     */
    listOrder: z.enum(['chronological', 'asWritten', 'shuffled']).default('chronological'),
    /**
     * The customer came back within the messaging threading timeline: the session above ended
     * (everything still connected disconnects), and at `at` (seconds after the start; default two
     * minutes after its last message) a new customer and a new flow participant continue the same
     * conversation id with `messages` (customer and bot only: the bot holds the new session).
     */
    returned: z
      .object({
        at: z.number().min(0).max(7 * 86_400).optional(),
        messages: z
          .array(
            z
              .object({ from: z.enum(['customer', 'bot']), text: z.string().min(1).max(10_000), at: z.number().min(0).max(7 * 86_400).optional() })
              .strict(),
          )
          .min(1)
          .max(1_000),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    if (f.state === 'inBot' && f.messages.some((m) => m.from === 'agent')) {
      ctx.addIssue({ code: 'custom', path: ['messages'], message: "agent messages need state 'inQueue' (an agent joins only after the bot hands off)" });
    }
    if (f.state === 'inBot' && f.queueId !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['queueId'], message: "queueId only applies to state 'inQueue'" });
    }
  });

/** What a caller writes (defaults optional). */
export type ConversationFixture = z.input<typeof conversationFixtureSchema>;
/** After parsing (defaults applied). */
export type ParsedConversationFixture = z.output<typeof conversationFixtureSchema>;
