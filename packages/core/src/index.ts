export * from './clock.js';
export * from './errors.js';
export * from './contracts/index.js';
export * from './state/index.js';
export type * from './genesys/api.js';
export * from './scenarios/index.js';
export * from './genesys/index.js';
export * from './handoff/index.js';
export * from './redact.js';
