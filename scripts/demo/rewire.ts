// Points example flows at the provider simulator: the one piece of code the demo (npm start) and
// the example tests share, so what the tests prove is what the demo runs. The api request nodes
// call paths on their credentials node's URL, so rewiring touches the credentials nodes' URLs, the
// account ids a user fills in (a YOUR_... placeholder in an inject or change node) and, for the
// core http request example, the one change rule setting msg.apiBase.
import type { Accounts } from "../../test/simulator";
import { providers } from "../../src/providers";
import { PRESET_IDS, type PresetId } from "../../src/providers/preset-ids";
import { providerOf, type FlowNode, type ProviderId } from "./examples";

export interface SimulatorTarget {
  url: string;
  accounts: Accounts;
}

/** msg properties the examples' settings nodes set, and their value on the simulator. */
function settingValues(target: SimulatorTarget): Record<string, string> {
  return {
    apiBase: target.url,
    corpId: target.accounts.orionstar.corpId,
    orgId: target.accounts.enos.orgId,
  };
}

/** The placeholders of the ids a user fills in (in msg.query of an inject node, or a change rule). */
function placeholderValues(target: SimulatorTarget): Record<string, string> {
  const { orionstar, enos, "huawei-iam": huawei, "aliyun-iot": aliyun } = target.accounts;
  return {
    YOUR_OV_CORPID: orionstar.corpId,
    YOUR_ORG_ID: enos.orgId,
    // The presets' own ids: Huawei's account (domain) and project, Alibaba's product.
    YOUR_DOMAIN_NAME: huawei.domainName,
    YOUR_PROJECT_NAME: huawei.projectName,
    YOUR_PROJECT_ID: huawei.projectId,
    YOUR_PRODUCT_KEY: aliyun.productKey,
  };
}

/** `value` with every placeholder (as a whole word, in any string inside it) replaced. */
function fillPlaceholders<T>(value: T, placeholders: Record<string, string>): T {
  if (typeof value === "string") return value.replace(/\bYOUR_[A-Z_]+\b/g, (word) => placeholders[word] ?? word) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => fillPlaceholders(item, placeholders)) as T;
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, fillPlaceholders(item, placeholders)]),
    ) as T;
  return value;
}

/** Credentials nodes named like this get a wrong secret (the errors example). */
const WRONG_SECRET_NAME = /wrong secret/i;
/** Wrong, and with the characters whose encoded shapes differ, as the demo secrets have. */
export const WRONG_SECRET = "not the&secret+/=%:ß";

/** A copy of `flow` whose credentials nodes and API bases point at the simulator. */
export function rewireToSimulator(flow: FlowNode[], target: SimulatorTarget): FlowNode[] {
  const values = settingValues(target);
  const placeholders = placeholderValues(target);
  return flow.map((original) => {
    // Comments and tab descriptions keep the placeholders: they tell the reader what to fill in.
    const node =
      original.type === "comment" || original.type === "tab"
        ? structuredClone(original)
        : fillPlaceholders(original, placeholders);
    const provider = providerOf(node);
    // The vendors' base URL is the host; a token URL (oauth2, custom) keeps its path on the simulator
    // (custom without one signs every call: nothing to point).
    if (provider && typeof node.tokenUrl === "string") {
      if (node.tokenUrl) node.tokenUrl = target.url + new URL(node.tokenUrl).pathname;
      // oauth2's sign-in page (grant authorization_code): the simulator's authorization endpoint.
      if (typeof node.authorizationUrl === "string" && node.authorizationUrl)
        node.authorizationUrl = target.url + new URL(node.authorizationUrl).pathname;
    } else if (provider) node.baseUrl = target.url;
    // oauth2's and custom's API URL (where the token may go): the simulator serves their APIs too.
    if (provider && typeof node.apiUrl === "string" && node.apiUrl) node.apiUrl = target.url;
    if (node.type === "change" && Array.isArray(node.rules)) {
      for (const rule of node.rules) {
        if (rule.t === "set" && rule.pt === "msg" && rule.tot === "str" && Object.hasOwn(values, rule.p))
          rule.to = values[rule.p];
      }
    }
    return node;
  });
}

/** The simulator's demo account for every credentials node in `flow`, keyed by node id. */
export function simulatorCredentials(
  flow: FlowNode[],
  target: SimulatorTarget,
): Record<string, Record<string, string>> {
  const result: Record<string, Record<string, string>> = {};
  for (const node of flow) {
    const provider = providerOf(node);
    if (!provider) continue;
    const preset = typeof node.preset === "string" && isPresetId(node.preset) ? node.preset : undefined;
    const credentials = preset
      ? presetCredentials(preset, target.accounts)
      : provider === "custom"
        ? customCredentials(String(node.tokenUrl), target.accounts)
        : accountCredentials(provider, target.accounts);
    if (WRONG_SECRET_NAME.test(String(node.name ?? ""))) credentials[secretField(provider)] = WRONG_SECRET;
    result[node.id] = credentials;
  }
  return result;
}

function accountCredentials(provider: ProviderId, accounts: Accounts): Record<string, string> {
  if (provider === "orionstar") return { appid: accounts.orionstar.appid, secret: accounts.orionstar.secret };
  if (provider === "enos") return { appKey: accounts.enos.appKey, appSecret: accounts.enos.appSecret };
  if (provider === "oauth2") return { clientId: accounts.oauth2.clientId, clientSecret: accounts.oauth2.clientSecret };
  return { clientId: accounts.oneaccess.clientId, clientSecret: accounts.oneaccess.clientSecret };
}

/** A custom provider's key and secret: the simulator account of the endpoint its token URL names. */
function customCredentials(tokenUrl: string, accounts: Accounts): Record<string, string> {
  const path = new URL(tokenUrl).pathname;
  if (path === "/v1/auth/get_token") return { key: accounts.orionstar.appid, secret: accounts.orionstar.secret };
  if (path.startsWith("/apim-token-service/")) return { key: accounts.enos.appKey, secret: accounts.enos.appSecret };
  if (path === "/api/v2/tenant/token")
    return { key: accounts.oneaccess.clientId, secret: accounts.oneaccess.clientSecret };
  return { key: accounts.homemade.appKey, secret: accounts.homemade.appSecret };
}

/** A preset's key and secret: the simulator's account of that cloud. */
function presetCredentials(preset: PresetId, accounts: Accounts): Record<string, string> {
  const pair: Record<PresetId, readonly [string, string]> = {
    tuya: [accounts.tuya.accessId, accounts.tuya.accessSecret],
    "huawei-iam": [accounts["huawei-iam"].userName, accounts["huawei-iam"].password],
    thingsboard: [accounts.thingsboard.username, accounts.thingsboard.password],
    ezviz: [accounts.ezviz.appKey, accounts.ezviz.appSecret],
    "hikvision-artemis": [accounts["hikvision-artemis"].appKey, accounts["hikvision-artemis"].appSecret],
    "aliyun-iot": [accounts["aliyun-iot"].accessKeyId, accounts["aliyun-iot"].accessKeySecret],
  };
  const [key, secret] = pair[preset];
  return { key, secret };
}

function isPresetId(value: string): value is PresetId {
  return (PRESET_IDS as readonly string[]).includes(value);
}

function secretField(provider: ProviderId): string {
  return providers[provider].secretFields[0];
}
