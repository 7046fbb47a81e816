import type { RequestHandler } from 'express';
import type { RouteName } from '../route-table.js';
import type { OrgState } from '../state/org.js';

/** What every route module gets: the org state, the guard for a named route and the clock. */
export interface RouteContext {
  org: OrgState;
  guard: (route: RouteName) => RequestHandler;
  now: () => number;
  /**
   * Whether bot-flow analytics list a session (and its reporting turns) yet: only some time after it
   * completed, and only for about ten days (docs/genesys-facts.md#bot-flow-analytics).
   */
  analyticsVisible: (session: { dateCompleted: number }) => boolean;
  /** How long after its 202 a transfer takes effect unless a fault says otherwise (SandboxOptions.transferDelayMs). */
  transferDelayMs: number;
}
