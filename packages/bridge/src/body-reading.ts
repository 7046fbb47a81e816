import type { RequestHandler } from 'express';
import { HttpError } from './http-errors.js';

/**
 * Wraps one of Express' body parsers so that a body it cannot read is answered 400 (or 415 for an
 * encoding it does not support) with a message naming the problem, never a 500. body-parser
 * decompresses `Content-Encoding: gzip | deflate | br` itself, but passes a corrupt stream's zlib
 * error on without the `type` its other errors carry, which the error middleware would otherwise
 * treat as a bug of ours.
 */
export function readBodyWith(parser: RequestHandler): RequestHandler {
  return (req, res, next) => {
    parser(req, res, (error?: unknown) => {
      next(error === undefined ? undefined : bodyReadError(error, req.headers['content-encoding']));
    });
  };
}

function bodyReadError(error: unknown, contentEncoding: string | undefined): unknown {
  const type = typeof error === 'object' && error !== null ? (error as { type?: unknown }).type : undefined;
  const encoding = contentEncoding === undefined ? undefined : shown(contentEncoding);
  if (type === 'encoding.unsupported') {
    return new HttpError(
      'unsupported_media_type',
      `Content-Encoding "${encoding ?? ''}" is not supported: send the body uncompressed, or as gzip, deflate or br.`,
    );
  }
  // body-parser's own, typed errors (too large, not JSON, bad charset) are mapped in errors.ts.
  if (typeof type === 'string') return error;
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    return new HttpError('bad_request', `The request body could not be decoded: it is declared Content-Encoding "${encoding}" but is not valid ${encoding} data.`);
  }
  return new HttpError('bad_request', 'The request body could not be read.');
}

/** A header value as it may be quoted back: printable ASCII, bounded. */
function shown(value: string): string {
  return value.slice(0, 40).replace(/[^\x20-\x7e]/g, '?');
}
