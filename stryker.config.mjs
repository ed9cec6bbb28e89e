// Mutation testing (npm run mutation, on the Node.js 24 that the test command fetches into .matrix/):
// Stryker mutates src/, compiles the mutant with tsc and runs the fast suites against it — the pure
// units, the in-process Node-RED runtime ones and the Redis ones, each starting its own redis-server
// (.mocharc.mutation.json), not the browser, package or multi-process ones. That file lists the suites fastest
// first: a static mutant (module-level code) runs every suite until one fails, so a fast failing suite
// ends it early. Incremental: a rerun after a small change only tests the mutants it touched.
// One blind spot: a static mutant (module-level code, e.g. a constant Set) has no per-test coverage, so
// its old "Survived" is reused even after a test that kills it was added: rerun those lines with
// `--mutate src/file.ts:<from>-<to> --force --incrementalFile <another file>` (so that the subset run
// leaves the full run's incremental file alone), or the full run with --force.
// scripts/mutation.js turns the JSON report into reports/mutation-summary.md and the README's figure.

/** Reasons that several rules give. */
const HOSTNAME_BRACKETS =
  "a URL's hostname holds '[' only at its start and ']' only at its end (an IPv6 literal): the anchors change nothing";
const PROBE_CONFIG_ID =
  "the probe's config id names nothing: CredentialsConfig reads the dialog's properties, never the id";
const LAST_CATCH = "the catch is the function's last statement: an empty one returns undefined too";
const CALLERS_PASS_HOSTNAMES =
  "every caller passes a URL's hostname, which holds '[' only at its start and ']' only at its end (an IPv6 literal): the anchors change nothing";
const STATE_KEY = "a state key only has to differ from the other states' keys, which are never empty";
const TEXT_KEY =
  "a key of the remembered status texts only has to differ from the other texts' keys, which are never empty";
const REFRESH_TOKEN_READ =
  "the caller reads refreshToken with ?. and refuses anything but a string: JSON null, a number, a string or an array gives undefined either way";
const PATTERN_WANTS_ONE = "the pattern that follows wants one character or more: an empty string fails it either way";
const JSON_PARSE_ALL =
  "every body goes to JSON.parse; one not an object is refused there or by asRecord, as before: only slower";
const ONE_MORE_UNLOCK =
  "one UNLOCK more after share() released the lock: it deletes only a lock with our fence, gone already";
const CLOSED_USER_KEPT =
  "memory only: a closed user stays in the set until its credentials node closes; its closed status ignores tokens";
const EMPTY_PUMP = "pump() with an empty queue: drain() finds no head and ends";
const NO_HEADERS_YET = "with no headers yet the loop finds none to delete: it only lower-cases the replacements' names";

/**
 * Surviving mutants that no test can kill because the program behaves the same for every input (a
 * mutant that only makes the program slower is no equivalent: it counts as a survivor). Each rule
 * names exactly one mutant: file, line, mutator, the code it replaces and its replacement (and the
 * column where one line holds two such mutants), with the reason. scripts/mutation.js counts the
 * survivor it names as equivalent (left out of the score, listed in the summary) and fails on a rule
 * that matches no mutant, several, or one that a test kills: a moved line is examined anew, never
 * excused in passing. Any other survivor counts against the score.
 */
export const equivalentMutants = [
  {
    file: "src/http.ts",
    line: 101,
    mutator: "ObjectLiteral",
    original: "{ once: true }",
    replacement: "{}",
    reason: "an AbortSignal fires abort only once, and the finally block removes the listener anyway",
  },
  {
    file: "src/http.ts",
    line: 101,
    mutator: "BooleanLiteral",
    original: "true",
    replacement: "false",
    reason: "{ once: false }: an AbortSignal fires abort only once, and the finally block removes the listener anyway",
  },
  {
    file: "src/http.ts",
    line: 241,
    mutator: "Regex",
    original: "/^\\[|\\]$/g",
    replacement: "/\\[|\\]$/g",
    reason: HOSTNAME_BRACKETS,
  },
  {
    file: "src/http.ts",
    line: 241,
    mutator: "Regex",
    original: "/^\\[|\\]$/g",
    replacement: "/^\\[|\\]/g",
    reason: HOSTNAME_BRACKETS,
  },
  {
    file: "src/token-source.ts",
    line: 297,
    mutator: "ConditionalExpression",
    original: "this.controller === controller",
    replacement: "false",
    reason:
      "a settled request's controller kept: close() and a sign-in abort it, and aborting a request that has settled does nothing",
  },
  {
    file: "src/providers/parse.ts",
    line: 72,
    mutator: "ConditionalExpression",
    original: 'typeof value === "number"',
    replacement: "true",
    reason: "Number.isFinite does not coerce: a string or object fails it either way and goes on to the string check",
  },
  {
    file: "src/providers/parse.ts",
    line: 107,
    column: 49,
    mutator: "MethodExpression",
    original: "value.trim()",
    replacement: "value",
    reason:
      "Number() ignores the spaces around digits (the trim inside the test above is not equivalent, and is killed)",
  },
  {
    file: "src/nodes/credentials-destination.ts",
    line: 85,
    mutator: "BlockStatement",
    original: "{\n    return undefined;\n  }",
    replacement: "{}",
    reason: "an empty catch block ends the function, which returns undefined all the same",
  },
  {
    file: "src/nodes/admin-routes.ts",
    line: 63,
    mutator: "StringLiteral",
    original: '""',
    replacement: '"Stryker was here!"',
    reason: "an id that is no text finds no deployed node and no stored credentials, as an empty one does",
  },
  {
    file: "src/nodes/admin-routes.ts",
    line: 71,
    mutator: "LogicalOperator",
    original: 'id || "dialog"',
    replacement: 'id && "dialog"',
    reason: PROBE_CONFIG_ID,
  },
  {
    file: "src/nodes/admin-routes.ts",
    line: 71,
    mutator: "StringLiteral",
    original: '"dialog"',
    replacement: '""',
    reason: PROBE_CONFIG_ID,
  },
  {
    file: "src/nodes/admin-routes.ts",
    line: 74,
    mutator: "ConditionalExpression",
    original: "body[name] !== undefined",
    replacement: "true",
    reason: "a property the dialog did not send reads as undefined either way: nothing asks whether the config has it",
  },
  {
    file: "src/token-source.ts",
    line: 271,
    mutator: "ConditionalExpression",
    original: "stale === held.value",
    replacement: "true",
    reason:
      "staleObtainedAt is read only when stale is set (shared-refresh.ts adoptable); with stale set and a token held, stale is its value: get() answered a caller's other stale token with the held one above",
  },
  {
    file: "src/token-source.ts",
    line: 320,
    mutator: "ConditionalExpression",
    original: 'error.kind === "aborted"',
    replacement: "false",
    reason:
      "an aborted error comes only from this refresh's signal (http.ts), and an aborted signal is handled the line before",
  },
  {
    file: "src/nodes/response-headers.ts",
    line: 14,
    mutator: "ArrayDeclaration",
    original: "[]",
    replacement: '["Stryker was here"]',
    reason: "the seen list holds objects: a string in it never equals one",
  },
  {
    file: "src/nodes/response-headers.ts",
    line: 21,
    mutator: "EqualityOperator",
    original: "folded < 0",
    replacement: "folded <= 0",
    reason: "0 * -2 is 0",
  },
  {
    file: "src/nodes/response-headers.ts",
    line: 27,
    mutator: "ConditionalExpression",
    original: "value === undefined",
    replacement: "false",
    reason: 'undefined then folds as String(undefined), the same "undefined"',
  },
  {
    file: "src/nodes/api-request.ts",
    line: 137,
    mutator: "ConditionalExpression",
    original: 'typeof payload === "string"',
    replacement: "false",
    reason: "serializeBody sends a string as String(string), itself",
  },
  {
    file: "src/nodes/api-request.ts",
    line: 86,
    mutator: "StringLiteral",
    original: '""',
    replacement: '"Stryker was here!"',
    reason: "a method that is no text fails as an unknown method either way",
  },
  {
    file: "src/nodes/config-version.ts",
    line: 42,
    mutator: "EqualityOperator",
    original: "version >= 0",
    replacement: "version > 0",
    reason: "a saved version 0 reads as 0 either way",
  },
  {
    file: "src/providers/custom-settings.ts",
    line: 169,
    mutator: "MethodExpression",
    original: "expression?.trim()",
    replacement: "expression",
    reason: "read.expression already trims the text it returns",
  },
  {
    file: "src/providers/oauth2.ts",
    line: 141,
    mutator: "MethodExpression",
    original: 'read.text("scope").split(/\\s+/).filter(Boolean)',
    replacement: 'read.text("scope").split(/\\s+/)',
    reason: "read.text trims: only an empty scope splits into an empty part, which joins back to the same empty text",
  },
  {
    file: "src/providers/oauth2.ts",
    line: 141,
    mutator: "Regex",
    original: "/\\s+/",
    replacement: "/\\s/",
    reason: "the empty parts that single-space splitting makes are filtered out before the join",
  },
  {
    file: "src/providers/parse.ts",
    line: 30,
    mutator: "StringLiteral",
    original: '""',
    replacement: '"Stryker was here!"',
    reason: "any fallback without text/html in it reads the same: not an HTML page by its type",
  },
  {
    file: "src/providers/jwt.ts",
    line: 34,
    mutator: "ConditionalExpression",
    original: 'key.asymmetricKeyType === "ec"',
    replacement: "true",
    reason:
      "only an EC key has a namedCurve among its asymmetricKeyDetails (RSA and DSA: modulusLength; Ed25519, X25519, DH: none; checked on Node 20 and 24), so namedCurve prime256v1 already says EC",
  },
  {
    file: "src/messages.ts",
    line: 15,
    mutator: "ConditionalExpression",
    original: "node === null",
    replacement: "false",
    reason: "the walk reads the en-US catalog, a JSON file of nested objects and strings: it holds no null",
  },
  {
    file: "src/providers/api-answer.ts",
    line: 14,
    mutator: "BlockStatement",
    original: "{\n    return undefined;\n  }",
    replacement: "{}",
    reason: LAST_CATCH,
  },
  {
    file: "src/providers/api-answer.ts",
    line: 59,
    mutator: "StringLiteral",
    original: '""',
    replacement: '"Stryker was here!"',
    reason:
      'the text searched when no WWW-Authenticate header came: any text without error="..." finds nothing, as the empty one',
  },
  {
    file: "src/rate-limit/limiter.ts",
    line: 58,
    mutator: "BooleanLiteral",
    original: "false",
    replacement: "true",
    reason: "pumpAgain is read only in drain(), which only pump() starts, after setting it to true",
  },
  {
    file: "src/rate-limit/limiter.ts",
    line: 94,
    mutator: "ConditionalExpression",
    original: "this.closed",
    replacement: "false",
    reason:
      "a closed limiter has no waiter, turns every call away before looking at the pause, and pump() returns at once: a pause set after close() changes nothing",
  },
  {
    file: "src/rate-limit/limiter.ts",
    line: 170,
    mutator: "EqualityOperator",
    original: "reserved < ticket",
    replacement: "reserved <= ticket",
    reason:
      "asked for the head only, whose ticket left `reserved` when it entered the queue (enter()): no reserved ticket equals it",
  },
  {
    file: "src/rate-limit/limiter.ts",
    line: 177,
    mutator: "EqualityOperator",
    original: "this.queue[index - 1].ticket > waiter.ticket",
    replacement: "this.queue[index - 1].ticket >= waiter.ticket",
    reason:
      "tickets in the queue are unique: a call is in it once at a time (a resend comes back with its ticket after it was let go)",
  },
  {
    file: "src/rate-limit/limiter.ts",
    line: 183,
    mutator: "ConditionalExpression",
    original: "index < 0",
    replacement: "false",
    reason:
      "remove() runs from a waiter's abort listener, which grant() and fail() take off as the waiter leaves the queue: the waiter is always found",
  },
  {
    file: "src/loopback.ts",
    line: 12,
    mutator: "Regex",
    original: "/^\\[|\\]$/g",
    replacement: "/\\[|\\]$/g",
    reason: CALLERS_PASS_HOSTNAMES,
  },
  {
    file: "src/loopback.ts",
    line: 12,
    mutator: "Regex",
    original: "/^\\[|\\]$/g",
    replacement: "/^\\[|\\]/g",
    reason: CALLERS_PASS_HOSTNAMES,
  },
  {
    file: "src/shared-cache/redis-connection.ts",
    line: 116,
    mutator: "BooleanLiteral",
    original: "false",
    replacement: "true",
    reason:
      "clusterOptions sets no useReplicas, so the cluster client keeps no replicas: a command said to be read-only goes to the slot's master too",
  },
  {
    file: "src/shared-cache/redis-connection.ts",
    line: 127,
    mutator: "BooleanLiteral",
    original: "true",
    replacement: "false",
    reason:
      "clusterOptions sets no useReplicas, so the cluster client keeps no replicas: EXISTS goes to the slot's master either way",
  },
  {
    file: "src/shared-cache/redis-connection.ts",
    line: 146,
    mutator: "BooleanLiteral",
    original: "false",
    replacement: "true",
    reason:
      "sentinelOptions sets no replicaPoolSize, so the Sentinel client uses no replicas: a command said to be read-only goes to the master too",
  },
  {
    file: "src/shared-cache/redis-connection.ts",
    line: 153,
    mutator: "BooleanLiteral",
    original: "false",
    replacement: "true",
    reason:
      "a Sentinel lease (RedisSentinelClient) ignores the read-only flag: its _execute runs every command on its master lease",
  },
  {
    file: "src/shared-cache/redis-connection.ts",
    line: 157,
    mutator: "BooleanLiteral",
    original: "false",
    replacement: "true",
    reason:
      "a Sentinel lease (RedisSentinelClient) ignores the read-only flag: its _execute runs every transaction on its master lease",
  },
  {
    file: "src/shared-cache/redis-connection.ts",
    line: 204,
    mutator: "ArrayDeclaration",
    original: "[]",
    replacement: '["Stryker was here"]',
    reason:
      "a string among the replies is no Error: filtered out by the instanceof check, as an empty list adds nothing",
  },
  {
    file: "src/shared-cache/setting.ts",
    line: 125,
    mutator: "Regex",
    original: "/^\\[(.*)\\]$/",
    replacement: "/\\[(.*)\\]$/",
    reason: HOSTNAME_BRACKETS,
  },
  {
    file: "src/shared-cache/setting.ts",
    line: 125,
    mutator: "Regex",
    original: "/^\\[(.*)\\]$/",
    replacement: "/^\\[(.*)\\]/",
    reason: HOSTNAME_BRACKETS,
  },
  {
    file: "src/nodes/refresh-token-setup.ts",
    line: 54,
    mutator: "BlockStatement",
    original:
      "{\n      // Node-RED's get throws before the runtime's settings are loaded (and settings without get() throw here too).\n      return undefined;\n    }",
    replacement: "{}",
    reason: "the catch is the arrow function's last statement: an empty one returns undefined too",
  },
  {
    file: "src/nodes/api-page-messages.ts",
    line: 57,
    mutator: "StringLiteral",
    original: '"the walk ended without a last page"',
    replacement: '""',
    reason: "unreachable: walkPages ends only after a page marked last, or by throwing",
  },
  {
    file: "src/providers/oauth2-grants.ts",
    line: 28,
    mutator: "StringLiteral",
    original: '"the authorization code grant has no token request of its own"',
    replacement: '""',
    reason:
      "unreachable: the authorization code grant's token comes from the sign-in's exchange (token-source signIn) and refreshes, never from tokenRequest",
  },
  {
    file: "src/nodes/sign-in-routes.ts",
    line: 146,
    column: 36,
    mutator: "StringLiteral",
    original: '""',
    replacement: '"Stryker was here!"',
    reason:
      "without originalUrl the path ends neither with the authorize path nor with it replaced: undefined either way",
  },
  {
    file: "src/nodes/sign-in-routes.ts",
    line: 146,
    column: 57,
    mutator: "StringLiteral",
    original: '""',
    replacement: '"Stryker was here!"',
    reason: "unreachable: split() always gives a first element",
  },
  {
    file: "src/providers/oauth2-authorization-code.ts",
    line: 78,
    mutator: "StringLiteral",
    original: '""',
    replacement: '"Stryker was here!"',
    reason: "the vendor name is for the error's text, and the error is caught and dropped the line after",
  },
  {
    file: "src/providers/oauth2-authorization-code.ts",
    line: 88,
    mutator: "ConditionalExpression",
    original: "!payload",
    replacement: "false",
    reason: "no payload part: Buffer.from(undefined) throws, and an empty one is no JSON; both caught as undefined",
  },
  {
    file: "src/providers/oauth2-authorization-code.ts",
    line: 91,
    mutator: "ConditionalExpression",
    original: 'claims !== null && typeof claims === "object"',
    replacement: "true",
    reason:
      "nameIn skips null and reads only name, preferred_username and email as strings: a payload that is no object (null, a number, a string, a boolean) gives no name either way",
  },
  {
    file: "src/providers/oauth2-authorization-code.ts",
    line: 91,
    mutator: "ConditionalExpression",
    original: "claims !== null",
    replacement: "true",
    reason: "nameIn skips null: a null payload gives no name either way",
  },
  {
    file: "src/providers/oauth2-authorization-code.ts",
    line: 91,
    mutator: "LogicalOperator",
    original: 'claims !== null && typeof claims === "object"',
    replacement: 'claims !== null || typeof claims === "object"',
    reason:
      "nameIn skips null and reads only name, preferred_username and email as strings: a payload that is no object gives no name either way",
  },
  {
    file: "src/providers/oauth2-authorization-code.ts",
    line: 91,
    mutator: "ConditionalExpression",
    original: 'typeof claims === "object"',
    replacement: "true",
    reason:
      "nameIn reads only name, preferred_username and email as strings: a number, string or boolean payload has none of them",
  },
  {
    file: "src/providers/oauth2-authorization-code.ts",
    line: 92,
    mutator: "BlockStatement",
    original: "{\n    return undefined;\n  }",
    replacement: "{}",
    reason: LAST_CATCH,
  },
  {
    file: "src/nodes/token-status.ts",
    line: 40,
    mutator: "StringLiteral",
    original: '"idle"',
    replacement: '""',
    reason: STATE_KEY,
  },
  {
    file: "src/nodes/token-status.ts",
    line: 49,
    mutator: "StringLiteral",
    original: '"signed"',
    replacement: '""',
    reason: STATE_KEY,
  },
  {
    file: "src/nodes/token-status.ts",
    line: 57,
    mutator: "StringLiteral",
    original: '"fetching"',
    replacement: '""',
    reason: STATE_KEY,
  },
  {
    file: "src/nodes/token-status.ts",
    line: 96,
    mutator: "StringLiteral",
    original: "`expired ${token.expiresAt}`",
    replacement: "``",
    reason: STATE_KEY,
  },
  {
    file: "src/nodes/token-status.ts",
    line: 43,
    mutator: "StringLiteral",
    original: '"idle"',
    replacement: '""',
    reason: TEXT_KEY,
  },
  {
    file: "src/nodes/token-status.ts",
    line: 52,
    mutator: "StringLiteral",
    original: '"signed"',
    replacement: '""',
    reason: TEXT_KEY,
  },
  {
    file: "src/nodes/token-status.ts",
    line: 89,
    mutator: "StringLiteral",
    original: '"valid"',
    replacement: '""',
    reason: TEXT_KEY,
  },
  {
    file: "src/nodes/token-status.ts",
    line: 99,
    mutator: "StringLiteral",
    original: '"expired"',
    replacement: '""',
    reason: TEXT_KEY,
  },
  {
    file: "src/refresh-token-store.ts",
    line: 119,
    mutator: "ObjectLiteral",
    original: "{ authTagLength: 16 }",
    replacement: "{}",
    reason: "the tag's length is checked to be 16 just above, and GCM's default accepts a 16-byte tag as well",
  },
  {
    file: "src/refresh-token-store.ts",
    line: 141,
    mutator: "ConditionalExpression",
    original: 'value !== null && typeof value === "object" && !Array.isArray(value)',
    replacement: "true",
    reason: REFRESH_TOKEN_READ,
  },
  {
    file: "src/refresh-token-store.ts",
    line: 141,
    mutator: "LogicalOperator",
    original: 'value !== null && typeof value === "object" && !Array.isArray(value)',
    replacement: 'value !== null && typeof value === "object" || !Array.isArray(value)',
    reason: REFRESH_TOKEN_READ,
  },
  {
    file: "src/refresh-token-store.ts",
    line: 141,
    mutator: "LogicalOperator",
    original: 'value !== null && typeof value === "object"',
    replacement: 'value !== null || typeof value === "object"',
    reason: REFRESH_TOKEN_READ,
  },
  {
    file: "src/refresh-token-store.ts",
    line: 141,
    mutator: "ConditionalExpression",
    original: 'value !== null && typeof value === "object"',
    replacement: "true",
    reason: REFRESH_TOKEN_READ,
  },
  {
    file: "src/refresh-token-store.ts",
    line: 141,
    mutator: "ConditionalExpression",
    original: "value !== null",
    replacement: "true",
    reason:
      "the caller reads refreshToken with ?. and refuses anything but a string: JSON null gives undefined either way",
  },
  {
    file: "src/refresh-token-store.ts",
    line: 141,
    mutator: "ConditionalExpression",
    original: 'typeof value === "object"',
    replacement: "true",
    reason:
      "the caller reads refreshToken with ?. and refuses anything but a string: a number, string or boolean gives undefined either way",
  },
  {
    file: "src/refresh-token-store.ts",
    line: 144,
    mutator: "BlockStatement",
    original: "{\n    return undefined;\n  }",
    replacement: "{}",
    reason: LAST_CATCH,
  },
  {
    file: "src/providers/oneaccess.ts",
    line: 88,
    mutator: "StringLiteral",
    original: '""',
    replacement: '"Stryker was here!"',
    reason:
      "credentials without a Client secret never build a request: the node reports the empty field first (custom-absent)",
  },
  {
    file: "src/providers/custom-token.ts",
    line: 149,
    mutator: "StringLiteral",
    original: '""',
    replacement: '"Stryker was here!"',
    reason: "a text that is no URL either way: URL.canParse refuses both, and no apiBase is read",
  },
  {
    file: "src/providers/oauth2.ts",
    line: 230,
    mutator: "MethodExpression",
    original: "[...secrets, ...proof.secrets].filter(Boolean)",
    replacement: "[...secrets, ...proof.secrets]",
    reason: "the mask drops empty texts itself (redact.ts, secret forms): an empty secret masks nothing either way",
  },
  {
    file: "src/api-origins.ts",
    line: 22,
    mutator: "Regex",
    original: "/[\\s,]+/",
    replacement: "/[\\s,]/",
    reason:
      "the empty strings a single-character split leaves between separators are dropped by filter(Boolean) the line after",
  },
  {
    file: "src/nodes/account-setup.ts",
    line: 88,
    mutator: "MethodExpression",
    original: "tokenUrl.trim()",
    replacement: "tokenUrl",
    reason: "new URL() strips leading and trailing spaces itself: the same origin's pool is prepared",
  },
  {
    file: "src/nodes/api-request-node.ts",
    line: 107,
    mutator: "ObjectLiteral",
    original: "{ marginMs: DEFAULT_MARGIN_MS }",
    replacement: "{}",
    reason: "TokenSource.get takes DEFAULT_MARGIN_MS for a margin not given",
  },
  {
    file: "src/token.ts",
    line: 31,
    mutator: "ConditionalExpression",
    original: "value.length > 0",
    replacement: "true",
    reason: PATTERN_WANTS_ONE,
  },
  {
    file: "src/token.ts",
    line: 31,
    mutator: "EqualityOperator",
    original: "value.length > 0",
    replacement: "value.length >= 0",
    reason: PATTERN_WANTS_ONE,
  },
];

/**
 * Surviving mutants that change only how fast the program is (or how much memory it keeps), never
 * what it does: no equivalents, they count as survivors. Each rule names one, as above, and says why
 * no test of behaviour tells it apart; the summary lists them among the survivors and counts them.
 */
export const speedOnlyMutants = [
  {
    file: "src/providers/api-answer.ts",
    line: 11,
    mutator: "ConditionalExpression",
    original: '!text.startsWith("{")',
    replacement: "false",
    reason: JSON_PARSE_ALL,
  },
  {
    file: "src/providers/api-answer.ts",
    line: 11,
    mutator: "StringLiteral",
    original: '"{"',
    replacement: '""',
    reason: JSON_PARSE_ALL,
  },
  {
    file: "src/shared-cache/shared-refresh.ts",
    line: 102,
    mutator: "ConditionalExpression",
    original: "done !== FAILED",
    replacement: "false",
    reason: ONE_MORE_UNLOCK,
  },
  {
    file: "src/shared-cache/shared-refresh.ts",
    line: 108,
    mutator: "ConditionalExpression",
    original: "!shared",
    replacement: "true",
    reason: ONE_MORE_UNLOCK,
  },
  {
    file: "src/nodes/credentials-node.ts",
    line: 64,
    mutator: "ConditionalExpression",
    original: 'adapter.id === "oauth2"',
    replacement: "true",
    reason:
      "a removed node of another provider has no refresh token file (only oauth2 keeps one): one fs.rm more that finds nothing",
  },
  {
    file: "src/nodes/credentials-node.ts",
    line: 139,
    mutator: "BlockStatement",
    original: "{\n    this.users.delete(user);\n  }",
    replacement: "{}",
    reason: CLOSED_USER_KEPT,
  },
  {
    file: "src/nodes/credentials-node.ts",
    line: 140,
    mutator: "CallExpression",
    original: "this.users.delete(user);",
    replacement: ";",
    reason: CLOSED_USER_KEPT,
  },
  {
    file: "src/rate-limit/limiter.ts",
    line: 89,
    mutator: "ConditionalExpression",
    original: "this.queue.length > 0",
    replacement: "true",
    reason: EMPTY_PUMP,
  },
  {
    file: "src/rate-limit/limiter.ts",
    line: 89,
    mutator: "EqualityOperator",
    original: "this.queue.length > 0",
    replacement: "this.queue.length >= 0",
    reason: EMPTY_PUMP,
  },
  {
    file: "src/rate-limit/limiter.ts",
    line: 89,
    mutator: "LogicalOperator",
    original: "this.reserved.delete(place.ticket) && this.queue.length > 0",
    replacement: "this.reserved.delete(place.ticket) || this.queue.length > 0",
    reason: "one pump() more: drain() checks pause, order and budget anew and lets go only a head that may go",
  },
  {
    file: "src/rate-limit/limiter.ts",
    line: 96,
    mutator: "EqualityOperator",
    original: "until <= this.pausedUntil",
    replacement: "until < this.pausedUntil",
    reason: "the same pause set again, and one pump() more: drain() checks pause, order and budget anew",
  },
  {
    file: "src/rate-limit/limiter.ts",
    line: 111,
    mutator: "ConditionalExpression",
    original: "this.queue.length > 0",
    replacement: "true",
    reason: EMPTY_PUMP,
  },
  {
    file: "src/rate-limit/limiter.ts",
    line: 111,
    mutator: "EqualityOperator",
    original: "this.queue.length > 0",
    replacement: "this.queue.length >= 0",
    reason: EMPTY_PUMP,
  },
  {
    file: "src/rate-limit/limiter.ts",
    line: 186,
    mutator: "ConditionalExpression",
    original: "index === 0",
    replacement: "true",
    reason: "one pump() more when a waiter behind the head leaves: drain() checks pause, order and budget anew",
  },
  {
    file: "src/providers/expression-limits.ts",
    line: 148,
    mutator: "ConditionalExpression",
    original: "size > max",
    replacement: "false",
    reason: "the check at the loop's end answers the same: only the array's members are queued first",
  },
  {
    file: "src/providers/expression-limits.ts",
    line: 154,
    mutator: "ConditionalExpression",
    original: "size > max",
    replacement: "false",
    reason: "the check at the loop's end answers the same: only the object's values are queued first",
  },
  {
    file: "src/shared-cache/redis-token-store.ts",
    line: 131,
    mutator: "ConditionalExpression",
    original: "set.size === 0 && this.listeners.get(hash) === set",
    replacement: "false",
    reason: "memory only: an empty listener set kept for its token's hash",
  },
  {
    file: "src/shared-cache/redis-token-store.ts",
    line: 131,
    mutator: "EqualityOperator",
    original: "this.listeners.get(hash) === set",
    replacement: "this.listeners.get(hash) !== set",
    reason:
      "an old waiter leaving may drop a newer set of waiters for the same hash: they are no longer woken by the announcement and find the token at their next poll",
  },
  {
    file: "src/providers/custom.ts",
    line: 118,
    mutator: "ConditionalExpression",
    original: "vendor === CUSTOM_VENDOR",
    replacement: "false",
    reason:
      "the custom provider's own steps wrapped too: relabelling an error of the custom vendor with the same vendor gives the same error",
  },
  {
    file: "src/nodes/token-status.ts",
    line: 84,
    mutator: "ConditionalExpression",
    original: "this.shownToken === token",
    replacement: "false",
    reason: "the same token shown again: set() finds the same state key and changes nothing, after building it",
  },
  {
    file: "src/providers/bound.ts",
    line: 25,
    mutator: "ConditionalExpression",
    original: "existing.length > 0",
    replacement: "true",
    reason: NO_HEADERS_YET,
  },
  {
    file: "src/providers/bound.ts",
    line: 25,
    mutator: "EqualityOperator",
    original: "existing.length > 0",
    replacement: "existing.length >= 0",
    reason: NO_HEADERS_YET,
  },
  {
    file: "src/account-key.ts",
    line: 34,
    mutator: "ConditionalExpression",
    original: "derived.size >= MAX_REMEMBERED",
    replacement: "false",
    reason: "memory only: the remembered keys are no longer bounded (each is still derived from its own inputs)",
  },
  {
    file: "src/account-key.ts",
    line: 34,
    mutator: "EqualityOperator",
    original: "derived.size >= MAX_REMEMBERED",
    replacement: "derived.size > MAX_REMEMBERED",
    reason: "memory only: one key more remembered",
  },
  {
    file: "src/nodes/account-setup.ts",
    line: 88,
    mutator: "ArrayDeclaration",
    original: "[api.base]",
    replacement: "[]",
    reason:
      "the API's pool made at its first call instead of at deploy: the cold path's first call is slower (bench row 9), never different",
  },
  {
    file: "src/nodes/account-setup.ts",
    line: 88,
    mutator: "ArrayDeclaration",
    original: "[tokenUrl.trim(), api.base]",
    replacement: "[]",
    reason:
      "the pools made at their first request instead of at deploy: the first message after a deploy is slower (bench rows 8 and 9), never different",
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
