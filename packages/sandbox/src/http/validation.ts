import express, { type RequestHandler } from 'express';
import type { z } from 'zod';
import { errors } from './api-error.js';

/** `request.bytes.max` of the Platform API (docs/genesys-facts.md#request-size-limit). */
export const MAX_REQUEST_BYTES = 512_000;

/** JSON bodies up to 512000 bytes; parse errors and size are mapped to ErrorBody by the error handler. */
export const jsonBody: RequestHandler = express.json({ limit: MAX_REQUEST_BYTES, strict: true });

/** Parses with a zod schema; a failure becomes a Genesys 400 whose `details` name each bad field. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, root = 'body'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues;
  // A body of the wrong type altogether (an array where an object belongs) has an empty issue path:
  // it is named `body` even when the route names fields from the root (`interval`, not `body.interval`).
  const fieldNames = issues.map((issue) => [root, ...issue.path.map(String)].filter((s) => s !== '').join('.') || root || 'body');
  const first = issues[0];
  const err = errors.badRequest(`Invalid value for ${fieldNames[0] ?? root}: ${first?.message ?? 'invalid'}`, fieldNames[0] ?? root);
  err.details.splice(0, err.details.length, ...fieldNames.map((fieldName) => ({ fieldName, errorCode: 'invalid.value' })));
  throw err;
}

/** An integer query parameter within [min, max], or the default; else a 400 naming it. */
export function intParam(value: string | undefined, name: string, def: number, min: number, max: number): number {
  if (value === undefined || value === '') return def;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw errors.badRequest(`Invalid value for ${name}: expected an integer from ${min} to ${max}, got "${value}"`, name);
  }
  return n;
}
