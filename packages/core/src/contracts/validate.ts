import type { z } from 'zod';
import { ValidationError, type FieldIssue } from '../errors.js';

/** Turns zod issues into field-named problems a flow author can act on. */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.join('.') : '(body)',
    problem: issue.message,
  }));
}

/** Parses `value` with `schema`, or throws a ValidationError that names every bad field. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(toFieldIssues(result.error));
  return result.data;
}
