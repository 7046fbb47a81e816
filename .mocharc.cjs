module.exports = {
  ...require('./.mocharc.base.cjs'),
  spec: ['packages/*/test/**/*.test.ts'],
};
