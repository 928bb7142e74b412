// Test runner configuration: unit tests beside the code, cross-module suites under test/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'tools/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: suites that hold PostgreSQL/NATS connections run in a small pool.
    maxWorkers: 2,
  },
});
