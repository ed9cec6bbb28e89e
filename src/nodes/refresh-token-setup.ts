// Where a credentials node keeps its refresh token across restarts (src/refresh-token-store.ts):
// Node-RED's user directory and credential secret, read from the runtime's settings. Without a
// secret to encrypt with (settings.js credentialSecret: false) nothing is written: the refresh
// token then lives in memory only, and a sign-in says so once.
import { promises as fs } from "node:fs";
import { RefreshTokenFile, refreshTokenFile, type StoreProblem } from "../refresh-token-store";
import type { NodeAPI, NodeDef } from "./node-red";
import type { Translate } from "./translate";

export interface RefreshSetup {
  /** The node's name in warnings. */
  readonly name: string;
  /** The bound provider's non-secret account id. */
  readonly account: string;
  /** A user's sign-in: without a store, a restart asks for a new one (said once, here). */
  readonly signIn: boolean;
  readonly warn: (text: string) => void;
}

/** The node's refresh-token file, or undefined when the runtime has no user directory or no credential secret. */
export function refreshTokenStore(
  RED: NodeAPI,
  config: NodeDef,
  setup: RefreshSetup,
  t: Translate,
): RefreshTokenFile | undefined {
  const userDir = RED.settings.userDir;
  const secret = credentialSecret(RED.settings);
  if (typeof userDir !== "string" || !userDir || !secret) {
    if (setup.signIn) setup.warn(t("access-token.warn.sign-in-not-kept", { name: setup.name }));
    return undefined;
  }
  return new RefreshTokenFile({
    userDir,
    nodeId: config.id,
    secret,
    account: setup.account,
    report: (problem: StoreProblem, detail?: string) =>
      setup.warn(t(`access-token.warn.sign-in-${problem}`, { name: setup.name, detail })),
  });
}

/**
 * The secret Node-RED encrypts flows_cred.json with (@node-red/runtime lib/nodes/credentials.js):
 * settings.js `credentialSecret`, else the one it generated into .config.runtime.json
 * (`_credentialSecret`); none when credentialSecret is false (encryption off).
 */
export function credentialSecret(settings: NodeAPI["settings"]): string | undefined {
  // settings.js's own values are properties; the generated one is only in get() (.config.runtime.json).
  const read = (name: string): unknown => {
    if (settings[name] !== undefined) return settings[name];
    try {
      return (settings.get as (name: string) => unknown)(name);
    } catch {
      // Node-RED's get throws before the runtime's settings are loaded (and settings without get() throw here too).
      return undefined;
    }
  };
  const own = read("credentialSecret");
  if (own === false) return undefined;
  if (typeof own === "string" && own) return own;
  const generated = read("_credentialSecret");
  return typeof generated === "string" && generated ? generated : undefined;
}

/** A deleted node's kept refresh token (the runtime's close with `removed`): gone with it. */
export async function forgetRefreshToken(RED: NodeAPI, nodeId: string): Promise<void> {
  const userDir = RED.settings.userDir;
  if (typeof userDir !== "string" || !userDir) return;
  // None kept (never signed in) or one that will not go: nothing more a deploy can do about it.
  await fs.rm(refreshTokenFile(userDir, nodeId)).catch(() => undefined);
}
