// Lint for Partner Desk: typescript-eslint's type-aware recommended rules, plus the architecture's two walls.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const BOT_SDK = { group: ["botbuilder", "botbuilder-*", "botframework-*"], message: "Only src/bot/ talks to the bot SDK." };
const STORAGE_INTERNALS = {
  group: ["**/storage/entityStore*", "**/storage/tables*", "**/storage/repositories/*", "**/storage/decisionStore*", "@azure/data-tables"],
  message: "Storage internals stay in src/storage; use its public index (src/storage/index.ts).",
};

export default tseslint.config(
  // The config itself is plain JavaScript outside the TypeScript project.
  { ignores: ["node_modules/", "dist/", "build/", ".data/", "eslint.config.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Unused names are a finding, except the ones named to be ignored (`_input`).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      // Route handlers, ports and fakes implement Promise-returning interfaces: `async` without `await` is how a
      // synchronous answer keeps that shape (and turns a throw into a rejection), not a mistake.
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    // Tests and the benchmark's drivers read untyped JSON off the wire (cards, HTTP bodies, table rows) and
    // tests assert on it with chai, whose property assertions (`.to.be.true`) are expressions. The any-safety
    // rules would only add casts there; they stay on for src/ and scripts/.
    files: ["test/**/*.ts", "bench/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-expressions": "off",
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
    },
  },
  // Two walls. The core (domain, features, outbox, storage, ...) never imports the bot SDK, so it could move to
  // the Microsoft 365 Agents SDK unchanged; storage internals (entity stores, table clients, repositories,
  // @azure/data-tables) stay inside src/storage. ESLint keeps one setting per rule, so each group of files
  // lists every wall that applies to it.
  {
    files: ["src/**/*.ts"],
    ignores: ["src/bot/**", "src/app.ts", "src/server.ts", "src/storage/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [BOT_SDK, STORAGE_INTERNALS] }] },
  },
  {
    files: ["src/bot/**/*.ts", "src/app.ts", "src/server.ts", "bench/**/*.ts", "scripts/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [STORAGE_INTERNALS] }] },
  },
  {
    files: ["src/storage/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [BOT_SDK] }] },
  },
);
