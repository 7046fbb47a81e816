import type { Express, Request, Response } from 'express';
import type { Models } from 'purecloud-platform-client-v2';
import { errors } from '../http/api-error.js';
import { callerOf, faultEffect, param, queryParam } from '../http/caller.js';
import { inGrantedDivision } from '../http/divisions.js';
import { intParam } from '../http/validation.js';
import type { BotSessionRecord, ReportingTurnRecord } from '../state/records.js';
import { toBotFlowSession, toReportingTurn } from '../views/bot-analytics.js';
import { cursorPage, parseInterval, uriWith } from './analytics-paging.js';
import type { RouteContext } from './route-context.js';

/** AnalyticsApi.md: pageSize "Maximum of 250 (default to 50)" for sessions and reporting turns. */
export const MAX_BOTFLOW_PAGE_SIZE = 250;

const endlessPaging = (res: Response): boolean => faultEffect(res, 'endlessPaging') !== undefined;

const csvSet = (s: string | undefined): Set<string> | undefined =>
  s === undefined ? undefined : new Set(s.split(',').map((x) => x.trim().toLowerCase()).filter((x) => x !== ''));

export function registerBotFlowAnalyticsRoutes(app: Express, ctx: RouteContext): void {
  const sessionsOf = (botFlowId: string, res: Response): readonly BotSessionRecord[] => {
    // UNCONFIRMED: a real org may answer an unknown flow id with an empty page rather than 404.
    if (!ctx.org.hasBotFlow(botFlowId)) throw errors.notFound(`Bot flow ${botFlowId}`);
    const client = callerOf(res);
    // Division-aware listings show the conversations of granted divisions only (docs/genesys-facts.md#divisions).
    return ctx.org
      .botSessions()
      .filter((s) => s.flowId === botFlowId && ctx.analyticsVisible(s) && inGrantedDivision(client, () => ctx.org.divisionsOf(s.conversationId)));
  };

  app.get('/api/v2/analytics/botflows/:botFlowId/sessions', ctx.guard('getAnalyticsBotflowSessions'), (req: Request, res: Response) => {
    const botFlowId = param(req, 'botFlowId');
    const all = sessionsOf(botFlowId, res);
    const q = {
      pageSize: queryParam(req, 'pageSize'),
      interval: queryParam(req, 'interval'),
      botResultCategories: queryParam(req, 'botResultCategories'),
      endLanguage: queryParam(req, 'endLanguage'),
      after: queryParam(req, 'after'),
    };
    const pageSize = intParam(q.pageSize, 'pageSize', 50, 1, MAX_BOTFLOW_PAGE_SIZE);
    // AnalyticsApi.md: the interval filters on the date the resources completed.
    const interval = q.interval === undefined ? undefined : parseInterval(q.interval, 'interval');
    const categories = csvSet(q.botResultCategories);
    const endLanguage = q.endLanguage?.toLowerCase();
    const filtered = all.filter((s) => {
      if (interval && !(s.dateCompleted >= interval.start && s.dateCompleted < interval.end)) return false;
      if (categories && !categories.has(s.botResultCategory.toLowerCase())) return false;
      if (endLanguage !== undefined && s.language.toLowerCase() !== endLanguage) return false;
      return true;
    });
    const path = `/api/v2/analytics/botflows/${encodeURIComponent(botFlowId)}/sessions`;
    const { page, nextUri } = cursorPage(filtered, (s) => s.id, path, q, pageSize, endlessPaging(res));
    const body: Models.SessionsResponse = { entities: page.map(toBotFlowSession), selfUri: uriWith(path, q) };
    if (nextUri) body.nextUri = nextUri;
    res.json(body);
  });

  app.get(
    '/api/v2/analytics/botflows/:botFlowId/divisions/reportingturns',
    ctx.guard('getAnalyticsBotflowDivisionsReportingturns'),
    (req: Request, res: Response) => {
      const botFlowId = param(req, 'botFlowId');
      const all = sessionsOf(botFlowId, res);
      const q = {
        pageSize: queryParam(req, 'pageSize'),
        interval: queryParam(req, 'interval'),
        actionId: queryParam(req, 'actionId'),
        sessionId: queryParam(req, 'sessionId'),
        language: queryParam(req, 'language'),
        askActionResults: queryParam(req, 'askActionResults'),
        after: queryParam(req, 'after'),
      };
      // AnalyticsApi.md: a session ID cannot be combined with an action ID, a language or ask action results.
      if (q.sessionId !== undefined && (q.actionId !== undefined || q.language !== undefined || q.askActionResults !== undefined)) {
        throw errors.badRequest('sessionId cannot be combined with actionId, language or askActionResults.', 'sessionId');
      }
      const pageSize = intParam(q.pageSize, 'pageSize', 50, 1, MAX_BOTFLOW_PAGE_SIZE);
      const interval = q.interval === undefined ? undefined : parseInterval(q.interval, 'interval');
      const results = csvSet(q.askActionResults);
      const language = q.language?.toLowerCase();
      // Grouped by session, newest session first; a session's turns in the order they happened.
      const turns: { key: string; session: BotSessionRecord; turn: ReportingTurnRecord }[] = [];
      const one = q.sessionId === undefined ? undefined : ctx.org.botSession(q.sessionId);
      const sessions = q.sessionId === undefined ? all : one && one.flowId === botFlowId && all.includes(one) ? [one] : [];
      for (const s of sessions) {
        if (language !== undefined && s.language.toLowerCase() !== language) continue;
        s.turns.forEach((turn, i) => {
          if (interval && !(turn.dateCompleted >= interval.start && turn.dateCompleted < interval.end)) return;
          if (q.actionId !== undefined && turn.actionId !== q.actionId) return;
          if (results && !results.has(turn.askActionResult.toLowerCase())) return;
          turns.push({ key: `${s.id}:${i}`, session: s, turn });
        });
      }
      const path = `/api/v2/analytics/botflows/${encodeURIComponent(botFlowId)}/divisions/reportingturns`;
      const { page, nextUri } = cursorPage(turns, (t) => t.key, path, q, pageSize, endlessPaging(res));
      const body: Models.ReportingTurnsResponse = { entities: page.map((t) => toReportingTurn(t.session, t.turn)), selfUri: uriWith(path, q) };
      if (nextUri) body.nextUri = nextUri;
      res.json(body);
    },
  );
}
