// `npm run test:cluster`: the failover test on a local three-node RabbitMQ cluster, two frontends
// behind HAProxy and two backends. Its own config so `npm test` and CI's run stay as they are.
const base = require('./jest.config.js');
const unit = base.projects[0];

module.exports = {
  testTimeout: 600000,
  reporters: base.reporters,
  transform: unit.transform,
  transformIgnorePatterns: unit.transformIgnorePatterns,
  moduleFileExtensions: unit.moduleFileExtensions,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/cluster/**/*.cluster-spec.ts'],
};
