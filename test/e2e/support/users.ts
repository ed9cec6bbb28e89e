// Editor users for a Node-RED with adminAuth: an admin with every permission and a read-only
// viewer, their settings.js entry, and the editor's login through the admin API.
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

export const USERS = { admin: "admin-pass-1", viewer: "viewer-pass-1" } as const;
export type UserName = keyof typeof USERS;

/** settings.js: adminAuth with the two users (bcrypt hashes made by the Node-RED under test). */
export function adminAuthSettings(): Record<string, unknown> {
  return {
    adminAuth: {
      type: "credentials",
      users: [
        { username: "admin", password: hashPassword(USERS.admin), permissions: "*" },
        { username: "viewer", password: hashPassword(USERS.viewer), permissions: "read" },
      ],
    },
  };
}

/** The editor's login: the OAuth2 password grant, form-encoded as the editor sends it. Resolves with the access token. */
export async function login(baseUrl: string, username: UserName): Promise<string> {
  const form = new URLSearchParams({
    client_id: "node-red-admin",
    grant_type: "password",
    // A login asks for no more than the user's permissions, as the editor does.
    scope: username === "admin" ? "*" : "read",
    username,
    password: USERS[username],
  });
  const response = await fetch(`${baseUrl}/auth/token`, { method: "POST", body: form });
  const text = await response.text();
  assert.equal(response.status, 200, text);
  return (JSON.parse(text) as { access_token: string }).access_token;
}
