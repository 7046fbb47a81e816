/**
 * Where the Genesys access token lives. In one process, memory; across replicas, Redis, so that one
 * replica refreshes under a lock and the others reuse its token instead of each burning their own.
 */
export interface CachedToken {
  accessToken: string;
  /** Epoch ms after which the token must not be used (already shortened by the refresh margin). */
  expiresAt: number;
}

export interface TokenStore {
  get(): Promise<CachedToken | undefined>;
  set(token: CachedToken): Promise<void>;
  /** Forget `accessToken` if it is still the current one (after a 401). */
  invalidate(accessToken: string): Promise<void>;
  /**
   * Runs `refresh` so that at most one caller (per process, or across replicas) fetches a token at a
   * time; the others wait and then read the stored one.
   */
  withRefreshLock<T>(refresh: () => Promise<T>): Promise<T>;
}
