export * from './schema.js';
export * from './runner.js';
export * from './files.js';
export * from './report.js';
export * from './json-pointer.js';
export { globToRegExp } from './glob.js';
export * from './conversation-schema.js';
