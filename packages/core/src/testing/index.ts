// Test support for every package (`@baton/core/testing`): imported by tests only.
export * from './manual-clock.js';
export * from './state-contract.js';
