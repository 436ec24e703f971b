// Telemetry off in the test runner and in everything it starts.
require("./scripts/lib/env")
const { chromiumPath } = require("./scripts/lib/dashboard")

const tsJest = { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] }

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  // one store, one database: integration files run one after another
  maxWorkers: 1,
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      transform: tsJest,
      testMatch: ["<rootDir>/src/**/__tests__/**/*.spec.ts"],
      // Medusa loads reflect-metadata before plugins; unit tests load the decorators alone
      setupFiles: ["reflect-metadata"],
    },
    {
      displayName: "integration",
      testEnvironment: "node",
      transform: tsJest,
      testMatch: ["<rootDir>/integration-tests/**/*.spec.ts"],
      testPathIgnorePatterns: [
        // the production-topology test needs Redis: it runs where REDIS_URL is set (.ci/run sets it)
        ...(process.env.REDIS_URL ? [] : ["/integration-tests/topology/"]),
        // the dashboard test needs Debian's chromium: in CI it always runs (.ci/run installs it)
        ...(chromiumPath() || process.env.CI === "true" ? [] : ["/integration-tests/dashboard/"]),
      ],
      globalSetup: "<rootDir>/integration-tests/setup/global-setup.js",
      globalTeardown: "<rootDir>/integration-tests/setup/global-teardown.js",
    },
  ],
}
