// Shared mocha settings: TypeScript runs through tsx, and workspace packages resolve to their
// sources through the "source" export condition, so tests never run against a stale dist/.
const path = require('node:path');
module.exports = {
  'node-option': ['conditions=source', 'import=tsx'],
  // Tests reach loopback only: any other connection fails the test that opened it, naming the host.
  require: [path.join(__dirname, 'scripts', 'mocha-network-guard.cjs')],
  reporter: path.join(__dirname, 'scripts', 'mocha-summary-reporter.cjs'),
  timeout: 20000,
  exit: true,
};
