// Rows of the fault matrix for each documented vendor error (docs/vendors/<provider>.md) and a skewed vendor
// clock. Each error must say what to fix, in the vendor's words plus ours.
import type { ProviderId } from "../simulator";
import type { Endpoint } from "../simulator";
import type { FaultCase, FaultEnv } from "./types";

/** The vendor answers this code once (the simulator shapes it as that vendor does). */
function code(provider: ProviderId, value: string | number, msg: string, fix: RegExp, httpStatus?: number): FaultCase {
  return {
    name: `${provider}: vendor error ${value} "${msg}"`,
    provider,
    arrange: (env: FaultEnv) =>
      env.sim.fail(`${provider}.token` as Endpoint, { kind: "vendor-error", code: value, msg, httpStatus }, 1),
    error: {
      text: new RegExp(`${value} "${msg}".*${fix.source}`),
      code: String(value),
      status: new RegExp(`${value}$`),
    },
  };
}

/** The EnOS gateway refuses before the token service is reached: an HTTP status, no vendor code. */
function gateway(status: number, fix: RegExp): FaultCase {
  return {
    name: `enos: gateway HTTP ${status}`,
    provider: "enos",
    arrange: (env) => env.sim.fail("enos.token", { kind: "status", status, body: '{"message":"gateway"}' }, 1),
    error: { text: new RegExp(`HTTP ${status}: .*${fix.source}`), status: new RegExp(`HTTP ${status}$`) },
  };
}

const CREDENTIALS_NODE = /credentials node/;

export const VENDOR_CASES: FaultCase[] = [
  code("orionstar", 101002, "grant_type invalid", /Check the appid and secret in the OrionStar credentials node/),
  code("orionstar", 101009, "appid or secret invalid", /Check both in the OrionStar credentials node/),
  {
    ...code("orionstar", 101009, "acl deny", /Ask OrionStar to grant it to your appid/),
    name: 'orionstar: vendor error 101009 "acl deny" (a permission, not the secret)',
  },
  code("orionstar", 101024, "access_token expire", /msg\.refreshToken = true/),
  {
    // The real whitelist check of the simulator, not a canned answer.
    name: "orionstar: vendor error 101025 (server IP not whitelisted)",
    provider: "orionstar",
    arrange: (env) => env.sim.setIpAllowed(false),
    error: {
      text: /101025 "client ip 127\.0\.0\.1 deny".*whitelist.*GET \/v1\/myip/,
      code: "101025",
      status: /101025$/,
    },
    recover: (env) => env.sim.setIpAllowed(true),
  },
  code("enos", 1001, "duplicated request", /fresh timestamp/),
  code("enos", 1002, "appKey does not exist", /Check the access key in the EnOS credentials node/),
  code("enos", 1003, "encryption invalid", /Check the secret key in the EnOS credentials node/),
  code("enos", 1004, "invalid parameter", /set this server's clock right/),
  code("enos", 1005, "internal error", /waits before asking again/),
  code("enos", 1202, "parameter empty: appKey", /Fill in both the access key and the secret key/),
  code("enos", 1203, "token expired", /msg\.refreshToken = true/),
  code("enos", 1204, "refresh failed", /msg\.refreshToken = true/),
  gateway(401, /Check the access key and secret key in the EnOS credentials node/),
  gateway(403, /IP is not allowed/),
  code("oneaccess", "invalid_client", "Bad client credentials", /Check both in the OneAccess credentials node/, 401),
  code("oneaccess", "unsupported_grant_type", "Unsupported grant type", /Enable API authentication/),
  code("oneaccess", "USER.0033", "client_id is required", CREDENTIALS_NODE),
  {
    // The simulator checks EnOS timestamps against its own clock, an hour ahead here.
    name: "enos: vendor clock an hour ahead (1004 names the clock)",
    provider: "enos",
    arrange: (env) => env.sim.setClockSkew(60 * 60 * 1000),
    error: {
      text: /1004 "invalid parameter: timestamp is out of range.*set this server's clock right \(NTP\)/,
      code: "1004",
      status: /1004$/,
    },
    recover: (env) => env.sim.setClockSkew(0),
  },
  ...(["orionstar", "oneaccess"] as const).map((provider): FaultCase => ({
    // Lifetimes count from our receive time, so a vendor clock two hours off changes nothing.
    name: `${provider}: vendor clock two hours behind (the lifetime counts from our clock)`,
    provider,
    arrange: (env) => {
      env.sim.setClockSkew(-2 * 60 * 60 * 1000);
      env.sim.setTokenLifetime(provider, 1800);
    },
    verify: (_env, outcome) => {
      if (outcome.entry?.expiresAt !== outcome.entry!.obtainedAt + 1_800_000)
        throw new Error("lifetime not 1800 s from our clock");
    },
  })),
];
