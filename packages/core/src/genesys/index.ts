export type * from './api.js';
export * from './regions.js';
export * from './target.js';

export * from './http.js';
export * from './routes.js';
export * from './permissions.js';
export * from './retry.js';
export * from './pacer.js';
export * from './genesys-error.js';
export * from './token-provider.js';
export * from './call-runner.js';
export * from './client.js';
