// Mutation testing (npm run mutation, on the Node.js 24 that the test command fetches into .matrix/):
// Stryker mutates src/, compiles the mutant with tsc and runs the fast suites against it — the pure
// units and the in-process Node-RED runtime ones (.mocharc.mutation.json), not the browser, package
// or multi-process ones. Incremental: a rerun after a small change only tests the mutants it touched.
// One blind spot: a static mutant (module-level code, e.g. a constant Set) has no per-test coverage, so
// its old "Survived" is reused even after a test that kills it was added: rerun those lines with
// `--mutate src/file.ts:<from>-<to> --force --incrementalFile <another file>` (so that the subset run
// leaves the full run's incremental file alone), or the full run with --force.
// scripts/mutation.js turns the JSON report into reports/mutation-summary.md and the README's figure.

/**
 * Surviving mutants that no test can kill because the program behaves the same: each is named by
 * file, mutator and the code it replaces (and, where that code recurs in the file, the trimmed
 * source line it is on), with the reason. scripts/mutation.js counts a survivor
 * that matches one as equivalent (left out of the score, listed in the summary); any other survivor
 * counts against the score.
 */
export const equivalentMutants = [
  {
    file: "src/redact.ts",
    mutator: "Regex",
    original: "/=+$/",
    replacement: "/=+/",
    reason: "base64 has '=' only as padding at its end: the first run of '=' is the last",
  },
  {
    file: "src/nodes/api-call.ts",
    mutator: "ConditionalExpression",
    original: "existing.length > 0",
    replacement: "true",
    reason: "a shortcut only: with no existing header the loop below has nothing to delete",
  },
  {
    file: "src/nodes/api-call.ts",
    mutator: "EqualityOperator",
    original: "existing.length > 0",
    replacement: "existing.length >= 0",
    reason: "a shortcut only: with no existing header the loop below has nothing to delete",
  },
  {
    file: "src/http.ts",
    mutator: "ObjectLiteral",
    original: "{ once: true }",
    replacement: "{}",
    reason: "an AbortSignal fires abort only once, and the finally block removes the listener anyway",
  },
  {
    file: "src/http.ts",
    mutator: "BooleanLiteral",
    original: "true",
    replacement: "false",
    reason: "{ once: false }: an AbortSignal fires abort only once, and the finally block removes the listener anyway",
  },
  {
    file: "src/http.ts",
    mutator: "CallExpression",
    original: "body.destroy();",
    reason: "throwing out of the for-await loop returns the body's iterator, which destroys the stream already",
  },
  {
    file: "src/http.ts",
    mutator: "ArrayDeclaration",
    original: "[]",
    replacement: '["Stryker was here"]',
    reason: "an ignore list of one host name with spaces ignores no real host, as the empty list",
  },
  {
    file: "src/http.ts",
    mutator: "Regex",
    original: "/^\\[|\\]$/g",
    reason:
      "a URL's hostname holds '[' only at its start and ']' only at its end (an IPv6 literal): the anchors change nothing",
  },
  {
    file: "src/http.ts",
    mutator: "ConditionalExpression",
    original: 'typeof current === "object"',
    replacement: "true",
    reason: "a truthy primitive cause has no code or cause property: reading them ends the walk as the check does",
  },
  {
    file: "src/token-source.ts",
    mutator: "ConditionalExpression",
    original: "this.inflight === pending",
    replacement: "true",
    reason: "one refresh at a time (get() joins the one in flight): the settling refresh is always the one in flight",
  },
  {
    file: "src/token-source.ts",
    mutator: "ConditionalExpression",
    original: "this.controller === controller",
    reason:
      "one refresh at a time: the settling refresh's controller is the current one, and aborting a settled one does nothing",
  },
  {
    file: "src/token-source.ts",
    mutator: "EqualityOperator",
    original: "this.controller === controller",
    reason:
      "one refresh at a time: the settling refresh's controller is the current one, and aborting a settled one does nothing",
  },
  {
    file: "src/token-source.ts",
    mutator: "LogicalOperator",
    original: "this.closed || signal.aborted",
    replacement: "this.closed && signal.aborted",
    reason: "only close() aborts the signal, and it sets closed in the same step: the two are never apart here",
  },
  {
    file: "src/providers/parse.ts",
    mutator: "ConditionalExpression",
    original: 'typeof value === "number"',
    replacement: "true",
    reason: "Number.isFinite does not coerce: a string or object fails it either way and goes on to the string check",
  },
  {
    file: "src/providers/parse.ts",
    mutator: "MethodExpression",
    original: "value.trim()",
    replacement: "value",
    reason:
      "Number() ignores the spaces around digits (the trim inside the test above is not equivalent, and is killed)",
  },
  {
    file: "src/nodes/get-token-node.ts",
    mutator: "ConditionalExpression",
    original: "msg.refreshToken !== undefined",
    replacement: "true",
    reason: "deleting an absent msg.refreshToken changes nothing; one set to undefined reads the same either way",
  },
  {
    file: "src/nodes/api-request-node.ts",
    mutator: "ConditionalExpression",
    original: "msg.refreshToken !== undefined",
    replacement: "true",
    reason: "deleting an absent msg.refreshToken changes nothing; one set to undefined reads the same either way",
  },
  {
    file: "src/nodes/credentials-node.ts",
    mutator: "ConditionalExpression",
    original: "this.prepared !== token.value",
    replacement: "true",
    reason: "the only prepareAuth (custom) returns at once for the token it has already prepared",
  },
  // get token's synchronous answer (cachedToken) is a speed path: with it off, handle() answers the
  // same message with the same token, three awaits later. These mutants turn it off.
  {
    file: "src/nodes/get-token-node.ts",
    mutator: "ArrowFunction",
    original: "() => (this.warmed = true)",
    reason: "the synchronous answer is a speed path: handle() gives the same message the same token, later",
  },
  {
    file: "src/nodes/credentials-destination.ts",
    mutator: "ConditionalExpression",
    original: "settings.proxy && !URL.canParse(settings.proxy.url)",
    replacement: "false",
    reason:
      "without the check the client's constructor throws on that URL, and the catch below gives the same undefined",
  },
  {
    file: "src/nodes/credentials-destination.ts",
    mutator: "BlockStatement",
    original: "{\n    return undefined;\n  }",
    reason: "an empty catch block ends the function, which returns undefined all the same",
  },
  {
    file: "src/nodes/admin-routes.ts",
    mutator: "StringLiteral",
    original: '""',
    replacement: '"Stryker was here!"',
    line: 'const id = typeof body.id === "string" ? body.id : "";',
    reason: "an id that is no text finds no deployed node and no stored credentials, as an empty one does",
  },
  {
    file: "src/nodes/admin-routes.ts",
    mutator: "LogicalOperator",
    original: 'id || "dialog"',
    reason: "the probe's config id names nothing: CredentialsConfig reads the dialog's properties, never the id",
  },
  {
    file: "src/nodes/admin-routes.ts",
    mutator: "StringLiteral",
    original: '"dialog"',
    reason: "the probe's config id names nothing: CredentialsConfig reads the dialog's properties, never the id",
  },
  {
    file: "src/nodes/admin-routes.ts",
    mutator: "ConditionalExpression",
    original: "body[name] !== undefined",
    replacement: "true",
    reason: "a property the dialog did not send reads as undefined either way: nothing asks whether the config has it",
  },
  {
    file: "src/token-source.ts",
    mutator: "ConditionalExpression",
    original: "stale === held.value",
    replacement: "true",
    reason:
      "with a held token, stale is its value here: get() answered a caller's other stale token with the held one above",
  },
  {
    file: "src/token-source.ts",
    mutator: "ConditionalExpression",
    original: 'error.kind === "aborted"',
    replacement: "false",
    reason:
      "an aborted error comes only from this refresh's signal (http.ts), and an aborted signal is handled the line before",
  },
  {
    file: "src/nodes/get-token-node.ts",
    mutator: "BooleanLiteral",
    original: "!this.warmed",
    replacement: "this.warmed",
    reason: "the synchronous answer is a speed path: handle() gives the same message the same token, later",
  },
  {
    file: "src/nodes/get-token-node.ts",
    mutator: "ConditionalExpression",
    original: "!problem",
    replacement: "false",
    line: "if (!problem) void this.warm.then(() => (this.warmed = true));",
    reason: "the synchronous answer is a speed path: handle() gives the same message the same token, later",
  },
  {
    file: "src/nodes/get-token-node.ts",
    mutator: "BooleanLiteral",
    original: "true",
    replacement: "false",
    line: "if (!problem) void this.warm.then(() => (this.warmed = true));",
    reason: "the synchronous answer is a speed path: handle() gives the same message the same token, later",
  },
  {
    file: "src/nodes/get-token-node.ts",
    mutator: "LogicalOperator",
    original: "!this.location || this.written === token.value",
    replacement: "!this.location && this.written === token.value",
    reason: "the synchronous answer is a speed path: handle() gives the same message the same token, later",
  },
  {
    file: "src/nodes/get-token-node.ts",
    mutator: "ConditionalExpression",
    original: "this.written === token.value",
    replacement: "false",
    line: "return token && (!this.location || this.written === token.value) ? token : undefined;",
    reason: "the synchronous answer is a speed path: handle() gives the same message the same token, later",
  },
  {
    file: "src/nodes/get-token-node.ts",
    mutator: "ConditionalExpression",
    original: "token && (!this.location || this.written === token.value)",
    replacement: "false",
    reason: "the synchronous answer is a speed path: handle() gives the same message the same token, later",
  },
  {
    file: "src/nodes/get-token-node.ts",
    mutator: "ConditionalExpression",
    original: "token.value === credentials.currentToken()?.value",
    replacement: "true",
    reason:
      "written only spares writing the token it names: an entry that is not the held token is never answered, so it is written over when a token is",
  },
  {
    file: "src/nodes/credentials-node.ts",
    mutator: "LogicalOperator",
    original: "!this.adapter.prepareAuth || this.prepared === token.value",
    replacement: "!this.adapter.prepareAuth && this.prepared === token.value",
    reason:
      "freshToken feeds the synchronous answers: undefined sends the message through getToken, which gives the same token, prepared",
  },
  {
    file: "src/nodes/credentials-node.ts",
    mutator: "ConditionalExpression",
    original: "this.prepared === token.value",
    replacement: "false",
    line: "return token && (!this.adapter.prepareAuth || this.prepared === token.value) ? token : undefined;",
    reason:
      "freshToken feeds the synchronous answers: undefined sends the message through getToken, which gives the same token, prepared",
  },
  {
    file: "src/nodes/credentials-node.ts",
    mutator: "ConditionalExpression",
    original: "token && (!this.adapter.prepareAuth || this.prepared === token.value)",
    replacement: "false",
    reason:
      "freshToken feeds the synchronous answers: undefined sends the message through getToken, which gives the same token, prepared",
  },
  {
    file: "src/nodes/response-headers.ts",
    mutator: "ArrayDeclaration",
    original: "[]",
    reason: "the seen list holds objects: a string in it never equals one",
  },
  {
    file: "src/nodes/response-headers.ts",
    mutator: "ConditionalExpression",
    original: "text.length === 0",
    replacement: "false",
    reason: "a shortcut: the loop folds nothing and the hash it starts from is never negative",
  },
  {
    file: "src/nodes/response-headers.ts",
    mutator: "EqualityOperator",
    original: "folded < 0",
    replacement: "folded <= 0",
    reason: "0 * -2 is 0",
  },
  {
    file: "src/nodes/response-headers.ts",
    mutator: "ConditionalExpression",
    original: "value === undefined",
    replacement: "false",
    reason: 'undefined then folds as String(undefined), the same "undefined"',
  },
  {
    file: "src/nodes/api-request.ts",
    mutator: "ConditionalExpression",
    original: 'typeof payload === "string"',
    replacement: "false",
    reason: "serializeBody sends a string as String(string), itself",
  },
  {
    file: "src/nodes/api-request.ts",
    mutator: "StringLiteral",
    original: '""',
    line: 'const method = typeof value === "string" ? value.trim().toUpperCase() : "";',
    replacement: '"Stryker was here!"',
    reason: "a method that is no text fails as an unknown method either way",
  },
  {
    file: "src/nodes/token-status.ts",
    mutator: "StringLiteral",
    original: '"idle"',
    reason: "a state key only has to differ from the other states' keys, which are never empty",
  },
  {
    file: "src/nodes/token-status.ts",
    mutator: "StringLiteral",
    original: "`expired ${token.expiresAt}`",
    reason: "a state key only has to differ from the other states' keys, which are never empty",
  },
  {
    file: "src/nodes/config-version.ts",
    mutator: "EqualityOperator",
    original: "version >= 0",
    replacement: "version > 0",
    reason: "a saved version 0 reads as 0 either way",
  },
  {
    file: "src/providers/custom.ts",
    mutator: "ConditionalExpression",
    original: "token === undefined",
    replacement: "true",
    reason: "read.required throws only for an empty text, exactly when read.expression gave undefined",
  },
  {
    file: "src/providers/custom.ts",
    mutator: "StringLiteral",
    original: '""',
    replacement: '"Stryker was here!"',
    line: 'params: { field, detail: redactText(expressionMessage(err), secretForms(credentials.secret ?? "")) },',
    reason:
      "with no secret there is nothing to mask; a stand-in masks only its own text, which no JSONata message holds",
  },
  {
    file: "src/providers/custom.ts",
    mutator: "ConditionalExpression",
    original: "item === undefined",
    replacement: "false",
    reason: "the items come from a JSONata result, and JSONata leaves a key whose value is undefined out of an object",
  },
  {
    file: "src/providers/custom.ts",
    mutator: "MethodExpression",
    original: "expression?.trim()",
    replacement: "expression",
    reason: "read.expression already trims the text it returns",
  },
  {
    file: "src/providers/oauth2.ts",
    mutator: "MethodExpression",
    original: 'read.text("scope").split(/\\s+/).filter(Boolean)',
    reason: "read.text trims: only an empty scope splits into an empty part, which joins back to the same empty text",
  },
  {
    file: "src/providers/oauth2.ts",
    mutator: "Regex",
    original: "/\\s+/",
    replacement: "/\\s/",
    reason: "the empty parts that single-space splitting makes are filtered out before the join",
  },
  {
    file: "src/providers/parse.ts",
    mutator: "StringLiteral",
    original: '""',
    line: 'const type = headerValue(response, "content-type") ?? "";',
    reason: "any fallback without text/html in it reads the same: not an HTML page by its type",
  },
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: "npm",
  testRunner: "mocha",
  mochaOptions: { config: ".mocharc.mutation.json" },
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.json",
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  // Run without a shell: one command, the package script chains the steps.
  buildCommand: "npm run build:mutant",
  mutate: ["src/**/*.ts"],
  coverageAnalysis: "perTest",
  incremental: true,
  incrementalFile: "reports/stryker-incremental.json",
  // Twice the 2 cores of a CI machine: the runtime suites mostly wait on timers and sockets, and at
  // 2 Stryker starts only one test runner (measured: a full run 104 min at 2, 66 min at 4).
  concurrency: 4,
  timeoutMS: 10000,
  reporters: ["html", "json", "clear-text", "progress"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  tempDirName: ".stryker-tmp",
  ignorePatterns: ["dist", "reports", ".matrix", ".userdir", "test-artifacts", "bench/scratch", "*.tgz"],
  cleanTempDir: "always",
};
