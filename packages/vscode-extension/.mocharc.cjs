// Unit tests only: test/integration/ needs VS Code and runs through e2e/run-e2e.sh.
module.exports = { ...require('../../.mocharc.base.cjs'), spec: ['test/unit/**/*.test.ts'] };
