import type { Response } from 'express';

/** What Express' `res.json` says a JSON answer is; kept so clients see the same header. */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * Answers `body` as JSON the way Express' `res.status(status).json(body)` does (same status, the
 * headers set so far, `Content-Type: application/json; charset=utf-8`, `Content-Length`, the same
 * JSON text), but as one `writeHead` and one `end(string)`: Node then sends headers and body in one
 * socket write. `res.json` turns the text into a Buffer first, which Node sends as a writev of two
 * parts, 7–13 % of the bridge's CPU samples on the handoff path (BENCHMARKS.md, issue 17).
 */
export function sendJson(res: Response, status: number, body: unknown, headers?: Readonly<Record<string, string>>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': JSON_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(text) });
  // A HEAD answer has the GET's headers and no body (as res.json does it).
  if (res.req.method === 'HEAD') res.end();
  else res.end(text);
}
