// ESLint (flat config): JavaScript and TypeScript recommended rules, Node globals.
const js = require("@eslint/js")
const tseslint = require("typescript-eslint")
const globals = require("globals")

module.exports = tseslint.config(
  { ignores: ["dist/", "node_modules/", ".medusa/", "bench-results/", "artifacts/", ".cache/", "coverage/", "integration-tests/fixtures/*/dist/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["**/*.js"],
    rules: { "@typescript-eslint/no-require-imports": "off", "@typescript-eslint/no-var-requires": "off" },
  },
  {
    files: ["integration-tests/**/*.ts"],
    rules: {
      // tests load the CommonJS helpers in scripts/ and inspect untyped JSON bodies
      "@typescript-eslint/no-require-imports": "off",
      "@typescript-eslint/no-var-requires": "off",
      "@typescript-eslint/no-explicit-any": "off",
    },
  }
)
