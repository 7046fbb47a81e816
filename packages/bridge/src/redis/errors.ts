import { BatonError, type BatonErrorOptions } from '@baton/core';
import type { Redis } from 'ioredis';

/**
 * Shared state (Redis) cannot be read or written right now. A handoff that cannot claim its
 * idempotency key must not run: a second replica (or Architect's retry) could not see that it did,
 * and would transfer the conversation again. 503 tells the flow to take its failure path.
 */
export class StateUnavailableError extends BatonError {
  constructor(
    message = 'Shared state (Redis) is unavailable; the handoff was not attempted so that it cannot run twice. Retry shortly.',
    options: BatonErrorOptions = {},
  ) {
    super('state_unavailable', message, options);
  }
}

/** How long a command waits for a connection that is (re)connecting before it fails. */
export const DEFAULT_CONNECT_GRACE_MS = 500;

export type Guard = <T>(operation: () => Promise<T>) => Promise<T>;

const nextReady = new WeakMap<Redis, Promise<void>>();

/** One 'ready' listener per connection, however many commands wait on it. */
function whenReady(client: Redis): Promise<void> {
  let pending = nextReady.get(client);
  if (!pending) {
    pending = new Promise<void>((resolve) => {
      client.once('ready', () => {
        nextReady.delete(client);
        resolve();
      });
    });
    nextReady.set(client, pending);
  }
  return pending;
}

/**
 * Wraps Redis operations on `client`. While the connection is away a command waits up to
 * `graceMs` for it (so a blip or a start-up does not fail a handoff) and is only then sent: never
 * queued inside ioredis to be sent late. Any failure (refused connection, command timeout, closed
 * stream, LOADING after a restart) becomes a StateUnavailableError; the original error stays as
 * `cause` for the logs, and the message never carries the Redis URL, which may hold a password.
 */
export function guardFor(client: Redis, graceMs = DEFAULT_CONNECT_GRACE_MS): Guard {
  return async <T>(operation: () => Promise<T>): Promise<T> => {
    if (client.status !== 'ready') {
      if (client.status === 'end' || graceMs <= 0) throw new StateUnavailableError();
      let timer: NodeJS.Timeout | undefined;
      const ready = await Promise.race([
        whenReady(client).then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), graceMs);
        }),
      ]);
      clearTimeout(timer);
      if (!ready) throw new StateUnavailableError();
    }
    try {
      return await operation();
    } catch (error) {
      if (error instanceof BatonError) throw error;
      throw new StateUnavailableError(undefined, { cause: error });
    }
  };
}
