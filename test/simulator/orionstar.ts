// OrionStar robot open platform: errors travel in `code` with HTTP 200, as the real API does.
import { robotStatus, robotsOf } from "./data";
import { bearerToken, intParam, isReply, json, randomHex, requestId } from "./http-util";
import type { ProviderModule, SampleToken } from "./provider";
import type { SimState } from "./state";
import type { OrionStarAccount, Reply, SimRequest } from "./types";

const MAX_PAGE_ROWS = 100;

function ok(data: unknown): Reply {
  return json(200, { code: 0, msg: "", req_id: requestId(), data });
}

function err(code: number | string, msg: string, httpStatus = 200): Reply {
  return json(httpStatus, { code, msg, req_id: requestId() });
}

function getToken(state: SimState, req: SimRequest): Reply {
  const q = req.url.searchParams;
  if (q.get("grant_type") !== "client_credential") return err(101002, "grant_type invalid");
  const appid = q.get("appid");
  const secret = q.get("secret");
  if (!appid) return err(101002, "appid invalid");
  if (!secret) return err(101002, "secret invalid");
  const account = state.orionstar.get(appid);
  if (!account || account.secret !== secret) return err(101009, "appid or secret invalid");
  // The whitelist belongs to the authorization account, so it is checked once the appid is known.
  if (!state.ipAllowed) return err(101025, `client ip ${req.remoteAddress} deny`);
  const rec = state.issue("orionstar", account.appid);
  return ok({ access_token: rec.token, expire_in: state.lifetimes.orionstar });
}

/** The account behind the Bearer token, or the vendor's error. */
function authorize(state: SimState, req: SimRequest): OrionStarAccount | Reply {
  const token = bearerToken(req.headers);
  if (token === undefined) return err(101002, "access_token not passed");
  const rec = state.find("orionstar", token);
  const account = rec && state.orionstar.get(rec.accountId);
  if (!rec || !account) return err(101009, "token format invalid");
  if (state.isExpired(rec)) return err(101024, "access_token expire");
  return account;
}

function robotList(state: SimState, account: OrionStarAccount, req: SimRequest): Reply {
  const q = req.url.searchParams;
  const corp = q.get("ov_corpid");
  if (corp && corp !== account.corpId) return err(101009, "corp deny");
  const page = intParam(req.url, "page", 1);
  // The docs say page_rows defaults to 1: a client that forgets it sees one robot.
  const rows = intParam(req.url, "page_rows", 1);
  if (page === undefined || page < 1) return err(101002, "page invalid");
  if (rows === undefined || rows < 1 || rows > MAX_PAGE_ROWS) return err(101002, "page_rows invalid");
  const total = state.listSizes.orionstar;
  const robots = robotsOf(account.corpId, account.robotSn, total, (page - 1) * rows, page * rows);
  return ok({ total_count: total, robot_list: robots });
}

function robotInfo(account: OrionStarAccount, req: SimRequest): Reply {
  const sn = req.url.searchParams.get("robot_sn");
  if (!sn) return err(101002, "robot_sn invalid");
  const robots = robotsOf(account.corpId, account.robotSn);
  const index = robots.findIndex((r) => r.robot_sn === sn);
  if (index < 0) return err(101009, "robot_sn acl deny");
  const report = req.url.searchParams.get("is_report_status") === "1";
  return ok(report ? { ...robots[index], ...robotStatus(robots[index], index) } : robots[index]);
}

export const orionstar: ProviderModule = {
  handle(state, req) {
    switch (req.endpoint) {
      case "orionstar.token":
        return getToken(state, req);
      case "orionstar.myip":
        return ok({ ip: req.remoteAddress });
      case "orionstar.robot_list":
      case "orionstar.robot_info": {
        const account = authorize(state, req);
        if (isReply(account)) return account;
        return req.endpoint === "orionstar.robot_list" ? robotList(state, account, req) : robotInfo(account, req);
      }
      default:
        throw new Error(`orionstar cannot handle ${req.endpoint}`);
    }
  },

  sample(state, req, token: SampleToken) {
    const base = { code: 0, msg: "", req_id: requestId() };
    const demo = state.demo.orionstar;
    let data: unknown;
    if (req.endpoint === "orionstar.token") {
      if (token === null) return { ...base, data: {} };
      const t = token ?? { value: randomHex(24), expiresIn: state.lifetimes.orionstar };
      return { ...base, data: { access_token: t.value, expire_in: t.expiresIn } };
    }
    if (token === null) return base;
    const robots = robotsOf(demo.corpId, demo.robotSn);
    if (req.endpoint === "orionstar.robot_list") data = { total_count: robots.length, robot_list: robots.slice(0, 1) };
    else if (req.endpoint === "orionstar.robot_info") data = { ...robots[0], ...robotStatus(robots[0], 0) };
    else data = { ip: req.remoteAddress };
    return { ...base, data };
  },

  vendorError(_req, code, msg, httpStatus) {
    return err(code, msg ?? "simulated vendor error", httpStatus ?? 200);
  },

  accountFor(state, req) {
    const appid = req.url.searchParams.get("appid");
    return appid && state.orionstar.has(appid) ? appid : state.demo.orionstar.appid;
  },
};
