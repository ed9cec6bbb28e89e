// Huawei Cloud IAM's password token (docs/vendors/huawei-iam.md): POST /v3/auth/tokens answers 201
// with the token in the X-Subject-Token header and its absolute expiry in the body; no refresh.
import { createHash, randomBytes } from "node:crypto";
import { huaweiUserKey } from "./accounts";
import { isReply, json, mediaType, parseJsonObject } from "./http-util";
import type { SimState } from "./state";
import type { HuaweiIamAccount, Reply, SimRequest } from "./types";

export const SUBJECT_TOKEN_HEADER = "x-subject-token";

/** IAM's time format: ISO 8601 UTC with microseconds ("2020-01-04T09:05:22.701000Z"). */
export function iamTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, "000Z");
}

/** IAM errors as commonly reported (OpenStack Keystone's shape). */
export function iamError(status: number, title: string, message: string): Reply {
  return json(status, { error: { code: status, message, title } });
}

const badRequest = (message: string) => iamError(400, "Bad Request", message);
const unauthorized = (message: string) => iamError(401, "Unauthorized", message);

/** A stable 32-hex id for a name (domain and user ids). */
function idOf(name: string): string {
  return createHash("md5").update(name).digest("hex");
}

/** A long opaque token starting with "MII", as IAM's are. */
function newToken(): string {
  return `MII${randomBytes(900).toString("base64url")}`;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

export function field(value: unknown, name: string): unknown {
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>)[name] : undefined;
}

interface PasswordRequest {
  domainName: string;
  userName: string;
  password: string;
  project: { id?: string; name?: string };
}

/** The password method's fields, or IAM's 400. */
function readRequest(req: SimRequest): PasswordRequest | Reply {
  if (!mediaType(req.headers).endsWith("json")) return badRequest("The request body must be JSON.");
  const auth = field(parseJsonObject(req.body), "auth");
  const identity = field(auth, "identity");
  const methods = field(identity, "methods");
  if (!Array.isArray(methods) || !methods.includes("password"))
    return badRequest("auth.identity.methods must include password.");
  const user = field(field(identity, "password"), "user");
  const userName = text(field(user, "name"));
  const password = text(field(user, "password"));
  const domainName = text(field(field(user, "domain"), "name"));
  if (!userName || !password || !domainName) return badRequest("The user name, password and domain name are required.");
  const project = field(field(auth, "scope"), "project");
  const id = text(field(project, "id"));
  const name = text(field(project, "name"));
  if (!id && !name) return badRequest("scope.project needs a name or an id.");
  return { domainName, userName, password, project: { id, name } };
}

export function tokenBody(account: HuaweiIamAccount, issuedAt: number, expiresAt: number | null, catalog: boolean) {
  const domain = { id: idOf(account.domainName), name: account.domainName };
  return {
    token: {
      ...(expiresAt === null ? {} : { expires_at: iamTime(expiresAt) }),
      issued_at: iamTime(issuedAt),
      methods: ["password"],
      ...(catalog ? { catalog: [catalogEntry(account)] } : {}),
      project: { domain, id: account.projectId, name: account.projectName },
      roles: [{ id: "0", name: "te_admin" }],
      user: {
        domain,
        id: idOf(`${account.domainName}/${account.userName}`),
        name: account.userName,
        password_expires_at: "",
      },
    },
  };
}

function catalogEntry(account: HuaweiIamAccount) {
  const region = account.projectName;
  return {
    type: "iotda",
    id: idOf(`iotda/${region}`),
    name: "iotda",
    endpoints: [
      {
        id: idOf(`iotda/${region}/public`),
        interface: "public",
        region,
        region_id: region,
        url: `https://iotda.${region}.myhuaweicloud.com`,
      },
    ],
  };
}

/** POST /v3/auth/tokens[?nocatalog=..]: each call a new token; earlier ones stay valid. */
export function iamToken(state: SimState, req: SimRequest): Reply {
  const asked = readRequest(req);
  if (isReply(asked)) return asked;
  const key = huaweiUserKey(asked.domainName, asked.userName);
  const account = state.account("huawei-iam", key);
  if (!account || account.password !== asked.password) return unauthorized("The username or password is wrong.");
  const { id, name } = asked.project;
  if ((id && id !== account.projectId) || (name && name !== account.projectName)) {
    return unauthorized("The project is not found in this account.");
  }
  const rec = state.issue("huawei-iam", key, newToken());
  const now = state.vendorNow();
  const body = tokenBody(
    account,
    now,
    now + state.lifetimes["huawei-iam"] * 1000,
    !req.url.searchParams.get("nocatalog"),
  );
  return json(201, body, { [SUBJECT_TOKEN_HEADER]: rec.token });
}
