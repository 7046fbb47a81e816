export * from './common.js';
export * from './assess-intent.js';
export * from './transcript.js';
export * from './hand-to-queue.js';
export * from './handoff.js';
export * from './trace.js';
export * from './actions.js';
export * from './validate.js';
