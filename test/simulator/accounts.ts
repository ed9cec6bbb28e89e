// Demo accounts and the validation of accounts added at run time.
// Fixed values (not random) so a demo flow or a benchmark in another process can hard-code them.
// The secrets hold a space, "&", "+", "/", "=", "%", ":" and a non-ASCII letter, so that their
// form-encoded, percent-encoded and base64 shapes all differ from the plain one: a secret sweep
// that looks for every shape notices a leak in any of them.
import type {
  Accounts,
  EnosAccount,
  HomemadeAccount,
  OAuth2Account,
  OneAccessAccount,
  OrionStarAccount,
  ServerId,
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
    },
    homemade: { appKey: "hm_demo_key_31d7", appSecret: "hm_demo_secret_c0ffee42" },
  };
  Object.freeze(accounts.orionstar);
  Object.freeze(accounts.enos);
  Object.freeze(accounts.oneaccess);
  Object.freeze(accounts.oauth2.scopes);
  Object.freeze(accounts.oauth2);
  Object.freeze(accounts.homemade);
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

/** Optional: scopes (space-separated, default "read write"), omitExpiresIn / clientCredentials ("true" / "false"). */
export function oauth2Account(c: Record<string, string>): OAuth2Account {
  required(c, "oauth2", ["clientId", "clientSecret"]);
  return {
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    scopes: (c.scopes ?? "read write").split(" ").filter(Boolean),
    omitExpiresIn: String(c.omitExpiresIn) === "true",
    clientCredentials: String(c.clientCredentials) !== "false",
  };
}

export function homemadeAccount(c: Record<string, string>): HomemadeAccount {
  required(c, "homemade", ["appKey", "appSecret"]);
  return { appKey: c.appKey, appSecret: c.appSecret };
}
