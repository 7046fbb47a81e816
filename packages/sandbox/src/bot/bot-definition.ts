import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { SandboxError } from '../sandbox-error.js';

/**
 * The exit reasons a *Call Digital Bot Flow* action gives its message flow
 * (docs/genesys-facts.md#bot-exit-reasons): the same list core's handoff decision knows
 * (`KNOWN_EXIT_REASONS`; core's tests check the two agree).
 */
export const BOT_EXIT_REASONS = ['AgentRequestedByUser', 'RecognitionFailure', 'Error', 'TriggeredByFlow', 'TriggeredByUser'] as const;
export type BotExitReason = (typeof BOT_EXIT_REASONS)[number];

/** What a Call Digital Bot Flow's Intent holds when the bot detected none (docs/genesys-facts.md#bot-exit-reasons). */
export const NOT_SET = 'NOT_SET';

const nonEmpty = z.string().trim().min(1);

const slotSchema = z
  .object({
    name: nonEmpty,
    /** Values recognised as whole words (case-insensitive); the first listed spelling is the value returned. */
    values: z.array(nonEmpty).min(1).optional(),
    /** A JavaScript regular expression (case-insensitive); the first capture group, else the whole match, is the value. */
    pattern: nonEmpty
      .refine((p) => {
        try {
          new RegExp(p, 'i');
          return true;
        } catch {
          return false;
        }
      }, 'not a valid regular expression')
      .optional(),
    /** What the bot asks when an intent needs this slot and the customer has not given it. */
    prompt: nonEmpty.optional(),
  })
  .strict()
  .refine((s) => (s.values === undefined) !== (s.pattern === undefined), { message: 'a slot has either values or a pattern' });

const intentSchema = z
  .object({
    name: nonEmpty.refine((n) => n !== NOT_SET, `${NOT_SET} is what a bot returns when it detected no intent`),
    utterances: z.array(nonEmpty).min(1),
    /** Slots this intent fills; those it `requires` are asked for (their prompt) before the bot exits. */
    slots: z.array(nonEmpty).default([]),
    requires: z.array(nonEmpty).default([]),
    /** What the bot says once the intent is recognised (and its required slots are filled). */
    reply: nonEmpty.optional(),
    /**
     * Whether the bot exits once the intent is complete (`TriggeredByFlow`, or `exitReason`), or keeps
     * talking (the bot answered; the customer may leave or ask for more). Default true.
     */
    exit: z.boolean().default(true),
    exitReason: z.enum(BOT_EXIT_REASONS).default('TriggeredByFlow'),
  })
  .strict();

export const botDefinitionSchema = z
  .object({
    id: nonEmpty,
    name: nonEmpty,
    language: nonEmpty.default('en-us'),
    /** Said once when the session starts. */
    greeting: nonEmpty.optional(),
    /** Below this score a turn is a no-match. */
    confidenceThreshold: z.number().min(0).max(1).default(0.5),
    intents: z.array(intentSchema).min(1),
    slots: z.array(slotSchema).default([]),
    exit: z
      .object({
        /** Phrases (whole words, case-insensitive) by which a customer asks for a human: `AgentRequestedByUser`. */
        agentPhrases: z.array(nonEmpty).default([]),
        /** Phrases by which the customer ends the bot conversation: `TriggeredByUser`. */
        userExitPhrases: z.array(nonEmpty).default([]),
        /** No-match turns in a row after which the bot gives up: `RecognitionFailure`. */
        maxNoMatch: z.number().int().min(1).default(3),
      })
      .strict()
      .default({ agentPhrases: [], userExitPhrases: [], maxNoMatch: 3 }),
    replies: z
      .object({
        noMatch: nonEmpty.default("Sorry, I didn't get that. Could you say it another way?"),
        agentRequested: nonEmpty.default("I'll connect you with someone from our team."),
        recognitionFailure: nonEmpty.default("I'm having trouble understanding. Let me find someone who can help."),
        userExit: nonEmpty.default('Thanks for chatting with us. Goodbye!'),
      })
      .strict()
      .default({
        noMatch: "Sorry, I didn't get that. Could you say it another way?",
        agentRequested: "I'll connect you with someone from our team.",
        recognitionFailure: "I'm having trouble understanding. Let me find someone who can help.",
        userExit: 'Thanks for chatting with us. Goodbye!',
      }),
    /**
     * Participant data the bot writes on the customer when it exits (a bot's Set Participant Data).
     * Absent: the bot writes none, as a Genesys bot writes none by itself
     * (docs/genesys-facts.md#participant-data). Each key names the attribute to write.
     */
    participantData: z
      .object({
        intent: nonEmpty.optional(),
        confidence: nonEmpty.optional(),
        exitReason: nonEmpty.optional(),
        /** A prefix: each slot is written as `<prefix><slotName>`. */
        slotPrefix: nonEmpty.optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    const slotNames = new Set(d.slots.map((s) => s.name));
    const seen = new Set<string>();
    d.intents.forEach((intent, i) => {
      if (seen.has(intent.name)) ctx.addIssue({ code: 'custom', path: ['intents', i, 'name'], message: `duplicate intent ${intent.name}` });
      seen.add(intent.name);
      for (const [key, names] of [
        ['slots', intent.slots],
        ['requires', intent.requires],
      ] as const) {
        names.forEach((n, j) => {
          if (!slotNames.has(n)) ctx.addIssue({ code: 'custom', path: ['intents', i, key, j], message: `no slot named ${n} in slots` });
        });
      }
      intent.requires.forEach((n, j) => {
        if (!intent.slots.includes(n)) ctx.addIssue({ code: 'custom', path: ['intents', i, 'requires', j], message: `${n} is required but not in this intent's slots` });
      });
    });
  });

/** A bot definition as written (JSON). */
export type BotDefinitionInput = z.input<typeof botDefinitionSchema>;
/** A bot definition with its defaults filled in. */
export type BotDefinition = z.output<typeof botDefinitionSchema>;

/** Validates a bot definition; the error names the path of the first problem (e.g. `intents.2.utterances`). */
export function parseBotDefinition(input: unknown, source = 'bot definition'): BotDefinition {
  const parsed = botDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue?.path.join('.') || '(root)';
    throw new SandboxError('sandbox.bot.invalid', `Invalid ${source} at ${at}: ${issue?.message ?? ''}`, { cause: parsed.error });
  }
  return parsed.data;
}

/** Reads and validates a bot definition file (JSON). */
export async function loadBotDefinition(file: string): Promise<BotDefinition> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new SandboxError('sandbox.bot.invalid', `Cannot read bot definition ${file}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  return parseBotDefinition(json, `bot definition ${file}`);
}
