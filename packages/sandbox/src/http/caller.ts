import type { Request, Response } from 'express';
import type { OAuthClientRecord } from '../auth/client-registry.js';
import type { FaultRule } from '../faults.js';

/** What the guard leaves in `res.locals` for handlers. */
export interface CallerLocals {
  contextId: string;
  client?: OAuthClientRecord;
  accessToken?: string;
  /** Fault rules that change what the handler does (faults.ts FaultDecision.effects). */
  effects?: FaultRule[];
}

/** The matching fault rule of `kind` that changes what this request's handler does, if any. */
export function faultEffect(res: Response, kind: FaultRule['kind']): FaultRule | undefined {
  return (res.locals as CallerLocals).effects?.find((r) => r.kind === kind);
}

export function contextIdOf(res: Response): string {
  return (res.locals as CallerLocals).contextId;
}

/** The authenticated client of an API request (the guard ran). */
export function callerOf(res: Response): OAuthClientRecord {
  const client = (res.locals as CallerLocals).client;
  if (!client) throw new Error('route handler ran without the guard');
  return client;
}

/** A path parameter (Express 5 types them as string | string[]). */
export function param(req: Request, name: string): string {
  const value = (req.params as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

/** A single-valued query parameter, or undefined. */
export function queryParam(req: Request, name: string): string | undefined {
  const value = (req.query as Record<string, unknown>)[name];
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** A multi-valued query parameter (`id=a&id=b` or `id=a,b`). */
export function queryList(req: Request, name: string): string[] {
  const value = (req.query as Record<string, unknown>)[name];
  const raw = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return raw.filter((v): v is string => typeof v === 'string').flatMap((v) => v.split(',')).filter((v) => v !== '');
}
