// Where a credentials node keeps a user's refresh token (src/nodes/refresh-token-setup.ts), as a
// unit on Node-RED's own settings module and a real user directory: the credential secret as the
// runtime holds it (settings.js's own, else the one it generated, none when encryption is off),
// the store's problems as warnings in the catalog's words, and a deleted node's file gone with it.
import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { NodeAPI, NodeDef } from "../../src/nodes/node-red";
import { credentialSecret, forgetRefreshToken, refreshTokenStore } from "../../src/nodes/refresh-token-setup";
import { translator } from "../../src/nodes/translate";
import { refreshTokenFile } from "../../src/refresh-token-store";
import { nodeRedPath } from "../support/node-red";

type Settings = NodeAPI["settings"];

/**
 * Node-RED's own settings (@node-red/runtime lib/settings.js of the Node-RED under test), a fresh
 * copy per call: settings.js's values as properties; get() also reads the runtime's own
 * (.config.runtime.json, here `runtime`), and throws until they are loaded (`runtime` undefined).
 */
async function runtimeSettings(local: Record<string, unknown>, runtime?: Record<string, unknown>): Promise<Settings> {
  const file = path.join(
    path.dirname(require.resolve("@node-red/runtime/package.json", { paths: [path.dirname(nodeRedPath)] })),
    "lib",
    "settings.js",
  );
  const shared = require.cache[file];
  delete require.cache[file];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a module of the Node-RED under test, by path
    const settings = require(file) as Settings & {
      init(local: Record<string, unknown>): void;
      load(storage: { getSettings(): Promise<Record<string, unknown>> }): Promise<void>;
    };
    settings.init(local);
    if (runtime) await settings.load({ getSettings: async () => runtime });
    return settings;
  } finally {
    if (shared) require.cache[file] = shared;
    else delete require.cache[file];
  }
}

describe("refresh token setup (credential secret, store warnings, forgetting)", () => {
  describe("credentialSecret", () => {
    it("settings.js's credentialSecret is the secret", async () => {
      assert.equal(
        credentialSecret(await runtimeSettings({ credentialSecret: "mine" }, { _credentialSecret: "gen" })),
        "mine",
      );
    });

    it("without one, the secret the runtime generated (only get() has it)", async () => {
      assert.equal(credentialSecret(await runtimeSettings({}, { _credentialSecret: "generated" })), "generated");
    });

    it("credentialSecret false (encryption off): no secret, even with a generated one left over", async () => {
      assert.equal(
        credentialSecret(await runtimeSettings({ credentialSecret: false }, { _credentialSecret: "old" })),
        undefined,
      );
    });

    it("no secret anywhere, an empty one, or settings not loaded yet: none, and no throw", async () => {
      assert.equal(credentialSecret(await runtimeSettings({}, {})), undefined);
      assert.equal(
        credentialSecret(await runtimeSettings({ credentialSecret: "" }, { _credentialSecret: "" })),
        undefined,
      );
      assert.equal(credentialSecret(await runtimeSettings({})), undefined);
      assert.equal(credentialSecret({} as Settings), undefined, "settings without get()");
    });
  });

  describe("on a user directory", () => {
    let userDir: string;
    let warnings: string[];
    const NODE_ID = "cred1";
    const RED = (settings: Settings) => ({ settings, _: (key: string) => key }) as unknown as NodeAPI;
    const setup = () => ({
      name: "My login",
      account: "oauth2 https://auth/token c1",
      signIn: true,
      warn: (text: string) => warnings.push(text),
    });
    const store = (settings: Settings) => {
      const red = RED(settings);
      return refreshTokenStore(red, { id: NODE_ID } as NodeDef, setup(), translator(red));
    };

    beforeEach(async () => {
      userDir = await fs.mkdtemp(path.join(os.tmpdir(), "refresh-setup-"));
      warnings = [];
    });
    afterEach(() => fs.rm(userDir, { recursive: true, force: true }));

    it("a kept sign-in that cannot be read is a warning naming the node, in the catalog's words", async () => {
      const file = refreshTokenFile(userDir, NODE_ID);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, "not a kept sign-in\n");
      const kept = store(await runtimeSettings({ userDir, credentialSecret: "s" }, {}));
      assert.ok(kept);
      assert.equal(await kept.load(), undefined);
      assert.deepEqual(warnings, [
        "My login: the kept sign-in could not be read (damaged, or encrypted with another credential secret) and was not used: sign in again.",
      ]);
    });

    it("a sign-in that cannot be written says why (the error code, no path)", async () => {
      await fs.writeFile(path.join(userDir, "access-token-refresh"), "a file where the folder goes");
      const kept = store(await runtimeSettings({ userDir }, { _credentialSecret: "generated" }));
      assert.ok(kept, "kept with the generated secret");
      await kept.save({ refreshToken: "rt", accountName: "Ann" });
      assert.equal(warnings.length, 1);
      assert.match(
        warnings[0],
        /^My login: the sign-in could not be kept in the user directory \((EEXIST|ENOTDIR)\); /,
      );
    });

    it("no secret: nothing kept, and a sign-in says so once", async () => {
      assert.equal(
        store(await runtimeSettings({ userDir, credentialSecret: false }, { _credentialSecret: "old" })),
        undefined,
      );
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /^My login: the sign-in is kept in memory only /);
    });

    it("a deleted node's kept sign-in is removed; none kept, or no user directory, is no error", async () => {
      const kept = store(await runtimeSettings({ userDir, credentialSecret: "s" }, {}));
      await kept!.save({ refreshToken: "rt", accountName: "Ann" });
      const file = refreshTokenFile(userDir, NODE_ID);
      await fs.access(file);
      await forgetRefreshToken(RED(await runtimeSettings({ userDir }, {})), NODE_ID);
      await assert.rejects(fs.access(file), { code: "ENOENT" });
      await forgetRefreshToken(RED(await runtimeSettings({ userDir }, {})), NODE_ID);
      await forgetRefreshToken(RED(await runtimeSettings({}, {})), NODE_ID);
      assert.deepEqual(warnings, []);
    });
  });
});
