// Demo accounts and the validation of accounts added at run time.
// Fixed values (not random) so a demo flow or a benchmark in another process can hard-code them.
// The secrets hold a space, "&", "+", "/", "=", "%", ":" and a non-ASCII letter, so that their
// form-encoded, percent-encoded and base64 shapes all differ from the plain one: a secret sweep
// that looks for every shape notices a leak in any of them.
import type {
  Accounts,
  AliyunIotAccount,
  EnosAccount,
  EzvizAccount,
  HikvisionArtemisAccount,
  HomemadeAccount,
  HuaweiIamAccount,
  OAuth2Account,
  OneAccessAccount,
  OrionStarAccount,
  ServerId,
  ThingsBoardAccount,
  TuyaAccount,
} from "./types";

/** Frozen: a test that edits sim.accounts must not silently change what the server accepts. */
export function demoAccounts(): Accounts {
  const accounts: Accounts = {
    orionstar: {
      appid: "os_demo_appid_7f3c21",
      secret: "os demo&secret+9b/1e=4d%7a:5c2f-é",
      corpId: "ov_corp_demo_0001",
      robotSn: "MC1BCN2016030PK4",
    },
    enos: {
      // The appKey is the one in EnOS's own request sample.
      appKey: "5acb82e7-a11e-4300-9164-c8b20b638e8b",
      appSecret: "enos demo&app+secret/4c=8f%2e:91-ü",
      orgId: "o15724268424841",
      assetId: "yjKNJt2V",
    },
    oneaccess: {
      clientId: "ONtQq2igSggfFClyGgzmuXR8ubWEPdemo",
      clientSecret: "XdqUm JpG&19h+NEHz/3472=XsP%cw:vfeDémo",
      orgId: "org_demo_0001",
    },
    oauth2: {
      clientId: "oauth2_demo_client",
      clientSecret: "oauth2_demo_secret_5e7a90c1",
      scopes: ["read", "write"],
      omitExpiresIn: false,
      clientCredentials: true,
      username: "oauth2_demo_user",
      password: "oauth2 demo&pass+7b/3c=1d%9e:5f-ü",
      // Node-RED's callback at the default admin root, on any port (RFC 8252 7.3).
      redirectUris: ["http://127.0.0.1/access-token/oauth2/callback", "http://localhost/access-token/oauth2/callback"],
    },
    homemade: { appKey: "hm_demo_key_31d7", appSecret: "hm_demo_secret_c0ffee42" },
    tuya: {
      accessId: "tsim4x7p9d2mk8qr6vz3",
      accessSecret: "tuya demo&secret+8c/2f=5a%3e:71-ñ",
      uid: "ay1700000000000sim01",
    },
    "huawei-iam": {
      domainName: "hw_demo_domain",
      userName: "iot_api_user",
      password: "Hw demo&pass+4d/9e=1b%6c:2a-ö",
      projectName: "cn-north-4",
      projectId: "0b5f3a9c2e6d4f71a8c3e5b7d9f1a2c4",
      accessKey: "SIMAKDEMO7QWERTY2ZXC",
      secretKey: "hw demo&sk+7e/3a=9c%1f:6b-å",
    },
    thingsboard: { username: "tenant@thingsboard.org", password: "tb demo&pass+2c/8d=6e%4f:3a-ü" },
    // The appKey is the one in EZVIZ's own request sample.
    ezviz: { appKey: "9mqitppidgce4y8n54ranvyqc9fjtsrl", appSecret: "ez demo&secret+5b/7c=2d%8e:4f-é" },
    "hikvision-artemis": { appKey: "24681357", appSecret: "hik demo&secret+3a/6b=9c%2d:5e-ß" },
    "aliyun-iot": {
      accessKeyId: "LTAI5tSimDemo4x8Qp2Rz7Kw",
      accessKeySecret: "ali demo&secret+6d/1e=8f%3a:7b-ç",
      productKey: "a1SimDemo01",
    },
  };
  for (const account of Object.values(accounts)) Object.freeze(account);
  Object.freeze(accounts.oauth2.scopes);
  Object.freeze(accounts.oauth2.redirectUris);
  return Object.freeze(accounts);
}

function required(creds: Record<string, string>, provider: ServerId, names: string[]): void {
  for (const name of names) {
    if (typeof creds[name] !== "string" || creds[name] === "") {
      throw new TypeError(`addAccount(${provider}): "${name}" is required`);
    }
  }
}

/** Fills the optional fields with defaults so every account can call the read-only APIs. */
export function orionstarAccount(c: Record<string, string>): OrionStarAccount {
  required(c, "orionstar", ["appid", "secret"]);
  return {
    appid: c.appid,
    secret: c.secret,
    corpId: c.corpId || `ov_corp_${c.appid}`,
    robotSn: c.robotSn || "MC1BCN2016030PK4",
  };
}

export function enosAccount(c: Record<string, string>): EnosAccount {
  required(c, "enos", ["appKey", "appSecret"]);
  return {
    appKey: c.appKey,
    appSecret: c.appSecret,
    orgId: c.orgId || "o15724268424841",
    assetId: c.assetId || "yjKNJt2V",
  };
}

export function oneaccessAccount(c: Record<string, string>): OneAccessAccount {
  required(c, "oneaccess", ["clientId", "clientSecret"]);
  return { clientId: c.clientId, clientSecret: c.clientSecret, orgId: c.orgId || "org_demo_0001" };
}

/**
 * Optional: scopes (space-separated, default "read write"), omitExpiresIn / clientCredentials
 * ("true" / "false"), username and password (the password grant's user, who also signs in for the
 * authorization code; none: neither grant), redirectUris (space-separated).
 */
export function oauth2Account(c: Record<string, string>): OAuth2Account {
  required(c, "oauth2", ["clientId", "clientSecret"]);
  return {
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    scopes: (c.scopes ?? "read write").split(" ").filter(Boolean),
    omitExpiresIn: String(c.omitExpiresIn) === "true",
    clientCredentials: String(c.clientCredentials) !== "false",
    ...(c.username ? { username: c.username, password: c.password ?? "" } : {}),
    redirectUris: (c.redirectUris ?? "").split(" ").filter(Boolean),
  };
}

export function homemadeAccount(c: Record<string, string>): HomemadeAccount {
  required(c, "homemade", ["appKey", "appSecret"]);
  return { appKey: c.appKey, appSecret: c.appSecret };
}

export function tuyaAccount(c: Record<string, string>): TuyaAccount {
  required(c, "tuya", ["accessId", "accessSecret"]);
  return { accessId: c.accessId, accessSecret: c.accessSecret, uid: c.uid || `ay_${c.accessId}` };
}

/** Without accessKey and secretKey the user has no AK/SK pair (token calls only). */
export function huaweiIamAccount(c: Record<string, string>): HuaweiIamAccount {
  required(c, "huawei-iam", ["domainName", "userName", "password"]);
  return {
    domainName: c.domainName,
    userName: c.userName,
    password: c.password,
    projectName: c.projectName || "cn-north-4",
    projectId: c.projectId || "0b5f3a9c2e6d4f71a8c3e5b7d9f1a2c4",
    accessKey: c.accessKey ?? "",
    secretKey: c.secretKey ?? "",
  };
}

export function thingsboardAccount(c: Record<string, string>): ThingsBoardAccount {
  required(c, "thingsboard", ["username", "password"]);
  return { username: c.username, password: c.password };
}

export function ezvizAccount(c: Record<string, string>): EzvizAccount {
  required(c, "ezviz", ["appKey", "appSecret"]);
  return { appKey: c.appKey, appSecret: c.appSecret };
}

export function hikvisionArtemisAccount(c: Record<string, string>): HikvisionArtemisAccount {
  required(c, "hikvision-artemis", ["appKey", "appSecret"]);
  return { appKey: c.appKey, appSecret: c.appSecret };
}

export function aliyunIotAccount(c: Record<string, string>): AliyunIotAccount {
  required(c, "aliyun-iot", ["accessKeyId", "accessKeySecret"]);
  return { accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret, productKey: c.productKey || "a1SimDemo01" };
}

/** Huawei users are named within their account (domain): the key of a user is both names. */
export function huaweiUserKey(domainName: string, userName: string): string {
  return `${domainName}\n${userName}`;
}

interface AccountKind<A> {
  /** Validates added credentials and fills in the defaults. */
  build(credentials: Record<string, string>): A;
  /** What the server looks the account up by. */
  key(account: A): string;
}

/** Per server: how an account is built and looked up. */
export const ACCOUNT_KINDS: { readonly [K in ServerId]: AccountKind<Accounts[K]> } = {
  orionstar: { build: orionstarAccount, key: (a) => a.appid },
  enos: { build: enosAccount, key: (a) => a.appKey },
  oneaccess: { build: oneaccessAccount, key: (a) => a.clientId },
  oauth2: { build: oauth2Account, key: (a) => a.clientId },
  homemade: { build: homemadeAccount, key: (a) => a.appKey },
  tuya: { build: tuyaAccount, key: (a) => a.accessId },
  "huawei-iam": { build: huaweiIamAccount, key: (a) => huaweiUserKey(a.domainName, a.userName) },
  thingsboard: { build: thingsboardAccount, key: (a) => a.username },
  ezviz: { build: ezvizAccount, key: (a) => a.appKey },
  "hikvision-artemis": { build: hikvisionArtemisAccount, key: (a) => a.appKey },
  "aliyun-iot": { build: aliyunIotAccount, key: (a) => a.accessKeyId },
};
