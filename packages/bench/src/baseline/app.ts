import { timingSafeEqual } from 'node:crypto';
import express, { type Express } from 'express';
import { HANDOFF_PATH } from '../targets.js';
import { baselineHandoff, type BaselineGenesys } from './pipeline.js';

export interface BaselineAppOptions extends BaselineGenesys {
  apiKey: string;
}

/** The minimal Express endpoint around the baseline pipeline: same path and credential as the bridge. */
export function createBaselineApp(options: BaselineAppOptions): Express {
  const app = express();
  const expected = Buffer.from(options.apiKey);
  app.post(HANDOFF_PATH, express.json(), async (req, res) => {
    const given = Buffer.from(req.get('x-api-key') ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.status(401).json({ code: 'unauthorized' });
      return;
    }
    const body = (req.body ?? {}) as { conversationId?: unknown; intent?: unknown; confidence?: unknown };
    if (typeof body.conversationId !== 'string') {
      res.status(400).json({ code: 'bad_request', message: 'conversationId is required' });
      return;
    }
    try {
      const result = await baselineHandoff(options, {
        conversationId: body.conversationId,
        ...(typeof body.intent === 'string' && { intent: body.intent }),
        ...(typeof body.confidence === 'number' && { confidence: body.confidence }),
      });
      res.json(result);
    } catch (error) {
      res.status(502).json({ code: 'upstream_failed', message: (error as Error).message });
    }
  });
  return app;
}
