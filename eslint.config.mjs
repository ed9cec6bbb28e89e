// ESLint (flat config) with typescript-eslint: the runtime (src/) gets the type-checked rules, since
// a floating promise there is an unhandled rejection in a user's Node-RED; tests, scripts and the
// bench get the syntactic ones. Formatting is Prettier's job (eslint-config-prettier turns off
// every rule that would disagree with it). An eslint-disable comment must say why (-- reason).
import js from "@eslint/js";
import comments from "@eslint-community/eslint-plugin-eslint-comments/configs";
import prettier from "eslint-config-prettier";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/",
      "node_modules/",
      ".matrix/",
      "coverage/",
      "reports/",
      ".stryker-tmp/",
      "test-artifacts/",
      "bench/scratch/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  comments.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@eslint-community/eslint-comments/require-description": ["error", { ignore: [] }],
      "@eslint-community/eslint-comments/disable-enable-pair": ["error", { allowWholeFile: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      eqeqeq: ["error", "always"],
      // A variable a callback reads before its one assignment (a timer the callback clears) stays `let`.
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: ["src/**/*.ts"],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { project: "./tsconfig.build.json", tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    files: ["test/**/*.ts", "bench/**/*.ts", "scripts/**/*.ts"],
    languageOptions: { globals: { ...globals.node, ...globals.mocha } },
    rules: {
      // Tests read untyped JSON from flows and Node-RED's runtime objects.
      "@typescript-eslint/no-explicit-any": "off",
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // The editor's scripts that Node-RED serves from resources/: browser scripts beside the editor's
    // own globals (RED, jQuery); the pure ones (tokens-view.js, editor-rules.js) are also required
    // by the mocha suites.
    files: ["resources/**/*.js"],
    languageOptions: {
      sourceType: "script",
      globals: { ...globals.browser, RED: "readonly", $: "readonly", module: "readonly" },
    },
  },
  prettier,
);
