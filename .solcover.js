// solidity-coverage: mocks are test scaffolding, not product code; json-summary feeds the CI gate.
module.exports = {
  skipFiles: ["mocks/"],
  istanbulReporter: ["json-summary", "text-summary", "text", "lcov"],
  mocha: { timeout: 300000 },
};
