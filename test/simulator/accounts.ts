// Demo accounts and the validation of accounts added at run time.
// Fixed values (not random) so a demo flow or a benchmark in another process can hard-code them.
// The secrets hold a space, "&", "+", "/", "=", "%", ":" and a non-ASCII letter, so that their
// form-encoded, percent-encoded and base64 shapes all differ from the plain one: a secret sweep
// that looks for every shape notices a leak in any of them.
import type { Accounts, EnosAccount, OneAccessAccount, OrionStarAccount, ProviderId } from "./types";

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
  };
  Object.freeze(accounts.orionstar);
  Object.freeze(accounts.enos);
  Object.freeze(accounts.oneaccess);
  return Object.freeze(accounts);
}

function required(creds: Record<string, string>, provider: ProviderId, names: string[]): void {
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
