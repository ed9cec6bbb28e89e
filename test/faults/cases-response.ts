// Rows of the fault matrix about what comes back: error statuses (with Retry-After), bodies that are
// not a token answer, tokens and expiries that cannot be used, a body far too large, an answer cut
// off or never coming. Every row runs for each of the three vendors.
import assert from "node:assert/strict";
import type { ProviderId } from "../simulator";
import type { Endpoint, Fault } from "../simulator";
import type { FaultCase, FaultEnv } from "./types";
import { VENDOR_IDS } from "../support/vendors";

const DAY_MS = 24 * 60 * 60 * 1000;

/** A success body in the vendor's own shape, with the expiry as raw JSON text (undefined: left out). */
export function tokenBody(provider: ProviderId, token: string, expiry: string | undefined): string {
  const t = JSON.stringify(token);
  const e = (name: string) => (expiry === undefined ? "" : `,"${name}":${expiry}`);
  if (provider === "orionstar")
    return `{"code":0,"msg":"","req_id":"req-fault-1","data":{"access_token":${t}${e("expire_in")}}}`;
  if (provider === "enos")
    return `{"status":0,"msg":"SUCCESS","business":"apim-token-service","data":{"accessToken":${t}${e("expire")}}}`;
  return `{"access_token":${t},"token_type":"Bearer","scope":"all"${e("expires_in")}}`;
}

const serve = (fault: Fault) => (env: FaultEnv, provider: ProviderId) =>
  env.sim.fail(`${provider}.token` as Endpoint, fault, 1);
const body =
  (expiry: string | undefined, token = "tok_fault_0123456789abcdef") =>
  (env: FaultEnv, provider: ProviderId) =>
    env.sim.fail(
      `${provider}.token` as Endpoint,
      { kind: "status", status: 200, body: tokenBody(provider, token, expiry) },
      1,
    );

interface Row {
  name: string;
  arrange: (env: FaultEnv, provider: ProviderId) => void;
  error?: FaultCase["error"];
  retryAfterS?: number;
  timeoutS?: number;
  verify?: FaultCase["verify"];
}

const lifetime =
  (ms: number): FaultCase["verify"] =>
  (_env, outcome) => {
    assert.ok(outcome.entry, "the token was mirrored to flow context");
    assert.equal(outcome.entry.expiresAt - outcome.entry.obtainedAt, ms);
  };

const ROWS: Row[] = [
  {
    name: "HTTP 500",
    arrange: serve({ kind: "status", status: 500, body: '{"message":"internal error"}' }),
    error: { text: /HTTP 500 \(a server error on the vendor's side\)\. The node waits/, status: /HTTP 500$/ },
  },
  {
    name: "HTTP 503 with Retry-After: 20",
    arrange: serve({ kind: "status", status: 503, retryAfter: 20, body: "upstream connect error" }),
    error: { text: /HTTP 503/, status: /HTTP 503$/ },
    retryAfterS: 20,
  },
  {
    name: "HTTP 429 with Retry-After: 30",
    arrange: serve({ kind: "status", status: 429, retryAfter: 30, body: '{"message":"API rate limit exceeded"}' }),
    error: { text: /HTTP 429 \(rate limit exceeded\)\. The node waits before asking again/, status: /HTTP 429$/ },
    retryAfterS: 30,
  },
  {
    name: "an HTML error page (502)",
    arrange: serve({ kind: "html" }),
    error: { text: /HTTP 502/, status: /HTTP 502$/ },
  },
  {
    name: "an HTML page with HTTP 200 (a login portal)",
    arrange: serve({ kind: "status", status: 200, body: "<!DOCTYPE html><html><body>Sign in</body></html>" }),
    error: {
      text: /HTML page instead of JSON: the URL in the credentials node probably points to the wrong server/,
      status: /HTML instead of JSON$/,
    },
  },
  {
    name: "truncated JSON",
    arrange: serve({ kind: "truncated-json" }),
    error: { text: /not valid JSON \(it may have been cut off\)/, status: /invalid JSON$/ },
  },
  {
    name: "JSON of the wrong shape (an array)",
    arrange: serve({ kind: "wrong-shape" }),
    error: { text: /JSON that is not an object/, status: /not a token answer$/ },
  },
  {
    name: "JSON of the wrong shape (a string)",
    arrange: serve({ kind: "wrong-shape", shape: "string" }),
    error: { text: /JSON that is not an object/, status: /not a token answer$/ },
  },
  {
    name: "a token answer without its fields",
    arrange: serve({ kind: "missing-fields" }),
    error: { text: /without a token in /, status: /no token in answer$/ },
  },
  {
    name: "an empty token",
    arrange: serve({ kind: "token", token: "" }),
    error: { text: /without a token in /, status: /no token in answer$/ },
  },
  {
    name: "a token with control characters",
    arrange: serve({ kind: "token", token: "tok\u0007bell" }),
    error: { text: /contains spaces or control characters .*it was not used/, status: /unusable token$/ },
  },
  {
    name: "a token that would inject a header (CR LF)",
    arrange: body("3600", "tok\r\nX-Injected: 1"),
    error: { text: /control characters/, status: /unusable token$/ },
  },
  {
    name: "a missing expiry",
    arrange: body(undefined),
    error: { text: /without an expiry in .*the token was not used/, status: /no expiry in answer$/ },
  },
  {
    name: "a null expiry",
    arrange: body("null"),
    error: { text: /without an expiry/, status: /no expiry in answer$/ },
  },
  {
    name: "a zero expiry",
    arrange: body("0"),
    error: { text: /unusable expiry 0 .*positive number of seconds/, status: /unusable expiry$/ },
  },
  {
    name: "a negative expiry",
    arrange: body("-5"),
    error: { text: /unusable expiry -5 /, status: /unusable expiry$/ },
  },
  {
    name: "a non-numeric string expiry",
    arrange: body('"soon"'),
    error: { text: /unusable expiry "soon"/, status: /unusable expiry$/ },
  },
  {
    name: "an infinite expiry (1e400)",
    arrange: body("1e400"),
    error: { text: /unusable expiry/, status: /unusable expiry$/ },
  },
  // Tolerated oddities: the older OrionStar API sent the lifetime as a string; absurd lifetimes are capped.
  { name: "a numeric string expiry (accepted)", arrange: body('"7200"'), verify: lifetime(7_200_000) },
  { name: "an absurdly large expiry (capped at one day)", arrange: body("1e12"), verify: lifetime(DAY_MS) },
  // Finite as seconds, Infinity as ms: as large as any other, not "too short".
  { name: "a huge expiry (1.8e306, capped at one day)", arrange: body("1.8e306"), verify: lifetime(DAY_MS) },
  {
    name: "a 10 MiB body",
    arrange: serve({ kind: "huge-body" }),
    error: { text: /more than 1024 KiB .*Check the URL in the credentials node/, status: /answer too large$/ },
  },
  {
    name: "a connection reset mid-body",
    arrange: serve({ kind: "reset" }),
    error: { text: /closed before the answer was complete .*will be tried again/, status: /connection reset$/ },
  },
  {
    name: "a timeout (no answer within 0.3 s)",
    arrange: serve({ kind: "slow", ms: 3_000 }),
    timeoutS: 0.3,
    error: {
      text: /no answer from 127\.0\.0\.1:\d+ within 0\.3 s\. .*raise the timeout in the credentials node/,
      status: /timed out$/,
    },
  },
];

export const RESPONSE_CASES: FaultCase[] = VENDOR_IDS.flatMap((provider) =>
  ROWS.map((row): FaultCase => ({
    name: `${provider}: ${row.name}`,
    provider,
    arrange: (env) => row.arrange(env, provider),
    target: (env) => ({ baseUrl: env.sim.url, timeoutS: row.timeoutS }),
    error: row.error,
    retryAfterS: row.retryAfterS,
    verify: row.verify,
  })),
);
