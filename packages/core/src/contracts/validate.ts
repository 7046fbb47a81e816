import type { z } from 'zod';
import type { FieldIssue } from '../errors.js';

/** Turns zod issues into field-named problems a flow author can act on (parseActionInput reports them). */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.join('.') : '(body)',
    problem: issue.message,
  }));
}
