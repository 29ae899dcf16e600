import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Tests must not depend on the machine's zone: the bot stores UTC and shows Europe/Berlin.
    env: { TZ: "UTC" },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    globalSetup: ["./test/support/buildOnce.ts"],
    reporters: ["default", "./test/support/summaryReporter.ts"],
  },
});
