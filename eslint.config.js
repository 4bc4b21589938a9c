// Lint for Partner Desk: typescript-eslint's type-aware recommended rules, plus the architecture's two walls.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "build/", ".data/"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Unused names are a finding, except the ones named to be ignored (`_input`).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    // The core (domain, features, outbox, storage, ...) never imports the bot SDK, so it could move to the
    // Microsoft 365 Agents SDK unchanged; storage internals (table clients, entity stores, transactions) stay
    // inside src/storage.
    files: ["src/**/*.ts"],
    ignores: ["src/bot/**", "src/app.ts", "src/server.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["botbuilder", "botbuilder-*", "botframework-*"], message: "Only src/bot/ talks to the bot SDK." }] },
      ],
    },
  },
  {
    files: ["src/**/*.ts", "bench/**/*.ts", "scripts/**/*.ts"],
    ignores: ["src/storage/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/storage/entityStore*", "**/storage/tables*", "**/storage/repositories/*", "@azure/data-tables"],
              message: "Storage internals stay in src/storage; use its public index.",
            },
          ],
        },
      ],
    },
  },
);
