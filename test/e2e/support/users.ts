// Editor users for a Node-RED with adminAuth: an admin with every permission, a read-only viewer
// and a tester who may read and has access-token.write but not flows.write, their settings.js
// entry, and the editor's login through the admin API.
import assert from "node:assert/strict";
import { nodeRedDir } from "./node-red-process";

/** A bcrypt hash as settings.js adminAuth wants it, made with the bcryptjs of the Node-RED under test. */
function hashPassword(password: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- bcryptjs from the Node-RED under test, not a dependency of ours
  const bcrypt = require(require.resolve("bcryptjs", { paths: [nodeRedDir()] })) as {
    hashSync(text: string, rounds: number): string;
  };
  return bcrypt.hashSync(password, 8);
}

export const USERS = { admin: "admin-pass-1", viewer: "viewer-pass-1", tester: "tester-pass-1" } as const;
export type UserName = keyof typeof USERS;

/** Each user's permissions, as settings.js adminAuth lists them. */
const PERMISSIONS: Record<UserName, string | string[]> = {
  admin: "*",
  viewer: "read",
  tester: ["read", "access-token.write"],
};

/** settings.js: adminAuth with the users (bcrypt hashes made by the Node-RED under test). */
export function adminAuthSettings(): Record<string, unknown> {
  const users = (Object.keys(USERS) as UserName[]).map((username) => ({
    username,
    password: hashPassword(USERS[username]),
    permissions: PERMISSIONS[username],
  }));
  return { adminAuth: { type: "credentials", users } };
}

/** The editor's login: the OAuth2 password grant, form-encoded as the editor sends it. Resolves with the access token. */
export async function login(baseUrl: string, username: UserName): Promise<string> {
  const form = new URLSearchParams({
    client_id: "node-red-admin",
    grant_type: "password",
    // A login asks for no more than the user's permissions, as the editor does (space-separated).
    scope: [PERMISSIONS[username]].flat().join(" "),
    username,
    password: USERS[username],
  });
  const response = await fetch(`${baseUrl}/auth/token`, { method: "POST", body: form });
  const text = await response.text();
  assert.equal(response.status, 200, text);
  return (JSON.parse(text) as { access_token: string }).access_token;
}
