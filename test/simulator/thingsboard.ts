// ThingsBoard's REST API (docs/vendors/thingsboard.md): login with username and password gives a
// JWT pair in the body; calls send `X-Authorization: Bearer <token>`; every error is
// `{status, message, errorCode, timestamp}` with the HTTP status mirrored (401 + errorCode 11 when
// a token has expired).
import { thingsboardDevicesOf } from "./cloud-data";
import { isReply, json, mediaType, parseJsonObject } from "./http-util";
import type { ProviderModule } from "./provider";
import type { SimState } from "./state";
import { mintPair, REFRESH_LIFETIME_SECONDS, type JwtPair } from "./thingsboard-jwt";
import type { Reply, SimRequest, ThingsBoardAccount } from "./types";

/** ThingsboardErrorCode values the simulator answers with. */
export const TB_ERROR = {
  authentication: 10,
  tokenExpired: 11,
  invalidArguments: 30,
  badRequestParams: 31,
} as const;

function tbError(status: number, errorCode: number, message: string, now = Date.now()): Reply {
  return json(status, { status, message, errorCode, timestamp: now });
}

const unauthorized = (state: SimState, message: string) =>
  tbError(401, TB_ERROR.authentication, message, state.vendorNow());
const expired = (state: SimState) => tbError(401, TB_ERROR.tokenExpired, "Token has expired", state.vendorNow());

function stringField(body: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = body?.[name];
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

function jsonBody(req: SimRequest): Record<string, unknown> | undefined {
  return mediaType(req.headers) === "application/json" ? parseJsonObject(req.body) : undefined;
}

/** A new pair, both registered; the refresh token lives a week. */
function issuePair(state: SimState, account: ThingsBoardAccount): JwtPair {
  const lifetime = state.lifetimes.thingsboard;
  const pair = mintPair(account.username, state.vendorNow(), lifetime);
  const access = state.issue("thingsboard", account.username, pair.token, lifetime);
  state.issueRefresh(access, pair.refreshToken, REFRESH_LIFETIME_SECONDS);
  return pair;
}

/** POST /api/auth/login {username, password}. */
function login(state: SimState, req: SimRequest): Reply {
  const body = jsonBody(req);
  const username = stringField(body, "username");
  const password = stringField(body, "password");
  if (!username || !password) return unauthorized(state, "Authentication failed");
  const account = state.account("thingsboard", username);
  if (!account || account.password !== password) return unauthorized(state, "Invalid username or password");
  return json(200, issuePair(state, account));
}

/**
 * POST /api/auth/token {refreshToken}: a new pair each time. JWTs are stateless, so the previous
 * refresh token keeps working until its own expiry.
 */
function refresh(state: SimState, req: SimRequest): Reply {
  if (req.method !== "POST") return unauthorized(state, "Authentication method not supported");
  const body = jsonBody(req);
  if (!body) return unauthorized(state, "Invalid refresh token request payload");
  const value = stringField(body, "refreshToken");
  if (!value) return unauthorized(state, "Refresh token is not provided");
  const rec = state.findRefresh("thingsboard", value);
  const account = rec && state.account("thingsboard", rec.accountId);
  if (!rec || !account) return unauthorized(state, "Authentication failed");
  if (state.isRefreshExpired(rec)) return expired(state);
  return json(200, issuePair(state, account));
}

/** The account behind `X-Authorization: Bearer <token>` (that exact prefix). */
function authorize(state: SimState, req: SimRequest): ThingsBoardAccount | Reply {
  const value = req.headers["x-authorization"];
  if (typeof value !== "string" || !value.startsWith("Bearer ")) return unauthorized(state, "Authentication failed");
  const rec = state.find("thingsboard", value.slice("Bearer ".length));
  const account = rec && state.account("thingsboard", rec.accountId);
  if (!rec || !account) return unauthorized(state, "Authentication failed");
  if (state.isExpired(rec)) return expired(state);
  return account;
}

type Device = ReturnType<typeof thingsboardDevicesOf>[number];
const SORTABLE: Record<string, (d: Device) => string | number> = {
  createdTime: (d) => d.createdTime as number,
  name: (d) => d.name as string,
};

/** GET /api/tenant/devices?pageSize=..&page=..: PageData, page 0-based, `hasNext` false at the end. */
function devices(state: SimState, req: SimRequest): Reply {
  const account = authorize(state, req);
  if (isReply(account)) return account;
  const q = req.url.searchParams;
  for (const name of ["pageSize", "page"]) {
    if (!q.get(name)) {
      return tbError(
        400,
        TB_ERROR.badRequestParams,
        `Required request parameter '${name}' for method parameter type int is not present`,
      );
    }
  }
  const pageSize = Number(q.get("pageSize"));
  const page = Number(q.get("page"));
  if (!Number.isInteger(pageSize) || pageSize < 1)
    return tbError(400, TB_ERROR.invalidArguments, "Page size must be greater than zero!");
  if (!Number.isInteger(page) || page < 0)
    return tbError(400, TB_ERROR.invalidArguments, "Page must be positive integer!");
  const text = (q.get("textSearch") ?? "").toLowerCase();
  const type = q.get("type");
  let all = thingsboardDevicesOf(account.username).filter(
    (d) => (!text || String(d.name).toLowerCase().includes(text)) && (!type || d.type === type),
  );
  const key = SORTABLE[q.get("sortProperty") ?? ""];
  if (key) {
    const sign = q.get("sortOrder") === "DESC" ? -1 : 1;
    all = [...all].sort((a, b) => (key(a) < key(b) ? -sign : key(a) > key(b) ? sign : 0));
  }
  return json(200, {
    data: all.slice(page * pageSize, (page + 1) * pageSize),
    totalPages: Math.ceil(all.length / pageSize),
    totalElements: all.length,
    hasNext: (page + 1) * pageSize < all.length,
  });
}

export const thingsboard: ProviderModule = {
  handle(state, req) {
    if (req.endpoint === "thingsboard.token") return login(state, req);
    if (req.endpoint === "thingsboard.refresh") return refresh(state, req);
    return devices(state, req);
  },

  sample(state, req, t) {
    if (req.endpoint === "thingsboard.devices") {
      if (t === null) return {};
      const all = thingsboardDevicesOf(state.demo.thingsboard.username);
      return {
        data: all.slice(0, 10),
        totalPages: Math.ceil(all.length / 10),
        totalElements: all.length,
        hasNext: true,
      };
    }
    if (t === null) return {};
    const pair = mintPair(state.demo.thingsboard.username, Date.now(), state.lifetimes.thingsboard);
    return t === undefined ? pair : { ...pair, token: t.value };
  },

  vendorError(_req, code, msg, httpStatus) {
    const status = httpStatus ?? 401;
    return tbError(status, Number(code), msg ?? "simulated vendor error");
  },

  accountFor(state, req) {
    const username = stringField(parseJsonObject(req.body), "username");
    return username && state.account("thingsboard", username) ? username : state.demo.thingsboard.username;
  },
};
