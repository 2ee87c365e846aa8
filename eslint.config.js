// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "coverage/", "docs/api/", "bench/results/", ".tmp/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { console: "readonly", process: "readonly" },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The library runs unchanged in browsers: only the CLI may import Node built-ins.
    files: ["lib/**/*.ts"],
    ignores: ["lib/cli/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["node:*"],
              message: "lib/ outside lib/cli/ must not import Node built-ins (it runs in browsers)",
            },
          ],
          paths: [
            "fs",
            "path",
            "os",
            "child_process",
            "worker_threads",
            "url",
            "util",
            "stream",
            "readline",
            "crypto",
            "events",
            "buffer",
          ].map((name) => ({
            name,
            message: "lib/ outside lib/cli/ must not import Node built-ins (it runs in browsers)",
          })),
        },
      ],
    },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { require: "readonly", module: "writable", process: "readonly", console: "readonly" },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
