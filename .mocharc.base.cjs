// Shared mocha settings: TypeScript runs through tsx, and workspace packages resolve to their
// sources through the "source" export condition, so tests never run against a stale dist/.
const path = require('node:path');
module.exports = {
  'node-option': ['conditions=source', 'import=tsx'],
  reporter: path.join(__dirname, 'scripts', 'mocha-summary-reporter.cjs'),
  timeout: 20000,
  exit: true,
};
