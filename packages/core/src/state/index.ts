export * from './idempotency-store.js';
export * from './token-store.js';
export * from './trace-store.js';
export * from './memory.js';
