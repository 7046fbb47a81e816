import {
  DeadlineExceededError,
  actionContracts,
  isBatonError,
  parseActionInput,
  type ActionId,
  type ActionInput,
  type ActionResult,
  type UpstreamCall,
} from '@baton/core';
import express, { Router, type RequestHandler } from 'express';
import { readBodyWith } from '../body-reading.js';
import type { Clock } from '../clock.js';
import { HTTP_DEADLINE_SOURCE, computeDeadlines, raceDeadline } from '../deadline.js';
import type { HandoffSteps } from '../handoff-steps.js';
import { HttpError } from '../http-errors.js';
import type { InFlight } from '../in-flight.js';
import type { Logger } from '../logger.js';
import { sendJson } from '../send-json.js';
import type { BridgeMetrics } from '../metrics.js';

export interface ActionRoutesOptions {
  steps: HandoffSteps;
  deadlineMs: number;
  maxBodyBytes: number;
  clock: Clock;
  metrics: BridgeMetrics;
  inFlight: InFlight;
  logger: Logger;
}

/**
 * Genesys sends `Content-Type: application/json` when the action's headers say so (ours do);
 * whether it adds one by default is UNCONFIRMED (docs/genesys-facts.md#data-action-requests), so a body
 * without a Content-Type is read as JSON, and only a declared non-JSON type is refused.
 */
const requireJsonContentType: RequestHandler = (req, _res, next) => {
  if (req.headers['content-type'] !== undefined && !req.is(['application/json', 'application/*+json'])) {
    next(new HttpError('unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.'));
    return;
  }
  next();
};

/**
 * One POST route per entry of core's `actionContracts`: parse the flat input with the contract
 * (here, once: core's `run` takes it parsed), run the action under the request's deadline (the
 * bridge's: core and the Genesys client use it as it is), answer the flat output. Unknown input
 * fields are ignored (a data action's request template may send more than a step reads), and their
 * names logged.
 */
export function createActionRoutes(options: ActionRoutesOptions): Router {
  const router = Router();
  const parseJson = readBodyWith(express.json({ limit: options.maxBodyBytes, strict: true, type: () => true }));

  for (const contract of actionContracts) {
    const known = new Set(Object.keys(contract.input.shape));

    router.post(contract.path, requireJsonContentType, parseJson, async (req, res) => {
      const start = options.clock.now();
      const body: unknown = req.body;
      const log: Record<string, unknown> = { action: contract.id };
      res.locals.log = log;
      if (body && typeof body === 'object' && !Array.isArray(body)) {
        const conversationId = (body as Record<string, unknown>).conversationId;
        if (typeof conversationId === 'string' && conversationId.length <= 64) log.conversationId = conversationId;
        const ignored = Object.keys(body).filter((k) => !known.has(k));
        if (ignored.length > 0) log.ignoredFields = ignored.slice(0, 20).map((k) => k.slice(0, 64));
      }

      const calls: UpstreamCall[] = [];
      // Upstream metrics come from the Genesys client's own onCall (token requests included);
      // this per-request one only feeds the request's log line.
      const onCall = (call: UpstreamCall) => void calls.push(call);
      const finish = (outcome: string) => {
        const seconds = (options.clock.now() - start) / 1000;
        options.metrics.recordAction(contract.id, outcome, seconds);
        log.outcome = outcome;
        log.upstreamCalls = calls.length;
        const failed = calls.filter((c) => c.status === 0 || c.status >= 400);
        const contextIds = failed.map((c) => c.contextId).filter((id): id is string => typeof id === 'string');
        if (contextIds.length > 0) log.failedContextIds = [...new Set(contextIds)];
      };

      let input: ActionInput<ActionId>;
      try {
        input = parseActionInput(contract.id, body);
      } catch (error) {
        finish('validation_failed');
        throw error;
      }

      const deadlines = computeDeadlines(start, options.deadlineMs, 'budgetMs' in input ? input.budgetMs : undefined);
      const work = options.inFlight.track(options.steps.run(contract.id, input, { deadline: deadlines.coreDeadline, onCall }));
      let timedOut = false;
      try {
        const result = await raceDeadline(work, deadlines.httpDeadline, options.clock, deadlines.budgetMs);
        // The contract's output schema strips anything a step added beyond it, so the answer
        // stays the flat shape the generated data action's translation map expects.
        const output = contract.output.parse(result.output);
        const handoffId = handoffIdOf(result);
        if (handoffId) log.handoffId = handoffId;
        finish(output.status);
        sendJson(res, 200, output);
      } catch (error) {
        timedOut = isHttpDeadline(error);
        finish(isBatonError(error) ? error.code : 'internal_error');
        throw error;
      } finally {
        if (timedOut) reportLateOutcome(work, contract.id, log, options.logger);
      }
    });

    router.all(contract.path, (_req, res, next) => {
      res.setHeader('Allow', 'POST');
      next(new HttpError('method_not_allowed', `Use POST for ${contract.path}.`));
    });
  }
  return router;
}

/** The trace id of a handoff's result (the other actions have no trace). */
function handoffIdOf(result: ActionResult<ActionId>): string | undefined {
  return 'trace' in result ? result.trace.handoffId : undefined;
}

/** Whether `error` is the bridge's own HTTP deadline (core's work is then still running). */
function isHttpDeadline(error: unknown): boolean {
  return error instanceof DeadlineExceededError && error.details.source === HTTP_DEADLINE_SOURCE;
}

/** The answer left at the deadline; the work did not. Log what it came to, for the operator. */
function reportLateOutcome(work: Promise<ActionResult<ActionId>>, action: string, log: Record<string, unknown>, logger: Logger) {
  work.then(
    (result) => {
      logger.info(
        { action, conversationId: log.conversationId, handoffId: handoffIdOf(result), outcome: result.output.status, late: true },
        'step finished after its deadline; its outcome is recorded for the retry',
      );
    },
    (error: unknown) => {
      logger.warn(
        { action, conversationId: log.conversationId, outcome: isBatonError(error) ? error.code : 'internal_error', late: true },
        'step failed after its deadline',
      );
    },
  );
}
