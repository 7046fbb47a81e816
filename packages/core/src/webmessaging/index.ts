export * from './guest-client.js';
export * from './reorder-buffer.js';
