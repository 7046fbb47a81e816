export * from './errors.js';
export * from './contracts/index.js';
export * from './state/index.js';
export type * from './genesys/api.js';
