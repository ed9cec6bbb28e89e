// The token mirrored into a file-backed context store survives a restart: the restarted runtime
// makes no vendor request inside the token's lifetime, and an entry for another account is ignored.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { basicFlow, demoCredentials, nextMessage } from "../support/flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";
import { simulatorSuite } from "../support/simulator-suite";

const NODES = [accessTokenNodes, coreNode(CORE.catch)];

describe("token in a persistent context store", function () {
  this.timeout(20_000);
  const suite = simulatorSuite();
  let dir: string;

  // The file context store of each test: its own directory, in the settings the frame clears after it.
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "access-token-context-"));
    helper.settings({
      contextStorage: {
        default: { module: "memory" },
        file: { module: "localfilesystem", config: { dir, flushInterval: 30 } },
      },
    });
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Start a runtime the way Node-RED does: context stores loaded before the flows start. */
  async function start(scope: "flow" | "global" = "global"): Promise<void> {
    await helper.load(NODES, [], {});
    await helper._redNodes.loadContextsPlugin();
    await helper.setFlows(basicFlow("oneaccess", suite.sim.url, { scope, store: "file" }), "full", {
      cfg: demoCredentials(suite.sim, "oneaccess"),
    });
  }

  /**
   * Stop it as Node-RED stops: flows stopped, context flushed to disk and closed. (helper.unload()
   * would also delete every flow's stored context, which a real restart never does.)
   */
  async function stop(): Promise<void> {
    await helper._redNodes.stopFlows();
    await helper._redNodes.closeContextsPlugin();
    helper._redNodes.clearRegistry();
    (helper as unknown as { _sandbox: { restore(): void } })._sandbox.restore();
  }

  async function token(): Promise<string> {
    const out = nextMessage("out");
    helper.getNode("get").receive({});
    return (await out).token;
  }

  for (const scope of ["flow", "global"] as const) {
    it(`a restart inside the token's lifetime makes no request (${scope} scope)`, async () => {
      await start(scope);
      const first = await token();
      assert.equal(suite.sim.count("oneaccess.token"), 1);
      await stop();
      const files = fs.readdirSync(dir, { recursive: true }).map(String);
      assert.ok(
        files.some((f) => f.endsWith(".json")),
        `context written to disk: ${files.join(", ")}`,
      );

      await start(scope);
      assert.equal(await token(), first);
      assert.equal(suite.sim.count("oneaccess.token"), 1);
      await stop();
    });
  }

  it("an entry written for another account is never used", async () => {
    await start();
    const first = await token();
    const global = helper.getNode("get").context().global;
    const entry = await new Promise<Record<string, unknown>>((resolve, reject) =>
      global.get("accessToken", "file", (err: Error | null, value: Record<string, unknown>) =>
        err ? reject(err) : resolve(value),
      ),
    );
    await new Promise<void>((resolve, reject) =>
      global.set(
        "accessToken",
        { ...entry, account: "oneaccess https://other.example other-client 00000000" },
        "file",
        (err: Error | null) => (err ? reject(err) : resolve()),
      ),
    );
    await stop();

    await start();
    const second = await token();
    assert.notEqual(second, first);
    assert.equal(suite.sim.count("oneaccess.token"), 2);
    await stop();
  });

  it("a planted entry with the right account is not used: far expiry, huge, CR LF, obtained after expiry", async () => {
    const now = Date.now();
    const plants: Array<(entry: Record<string, unknown>) => Record<string, unknown>> = [
      (e) => ({ ...e, token: "planted-2036", expiresAt: Date.parse("2036-01-01T00:00:00Z") }),
      (e) => ({ ...e, token: "x".repeat(1024 * 1024) }),
      (e) => ({ ...e, token: "planted\r\nX-Injected: 1" }),
      (e) => ({ ...e, token: "planted-inverted", obtainedAt: now + 60_000, expiresAt: now + 30_000 }),
    ];
    for (const plant of plants) {
      await start();
      await token();
      const global = helper.getNode("get").context().global;
      await new Promise<void>((resolve, reject) =>
        global.get("accessToken", "file", (err: Error | null, value: Record<string, unknown>) => {
          if (err) return reject(err);
          global.set("accessToken", plant(value), "file", (e: Error | null) => (e ? reject(e) : resolve()));
        }),
      );
      await stop();
      const before = suite.sim.count("oneaccess.token");
      await start();
      try {
        const served = await token();
        assert.ok(!served.startsWith("planted") && served.length < 10_000, `served ${served.slice(0, 40)}`);
        assert.equal(
          suite.sim.count("oneaccess.token"),
          before + 1,
          "the planted entry was ignored: one vendor request",
        );
      } finally {
        await stop();
      }
    }
  });

  it("an expired entry is not used", async () => {
    await start();
    await token();
    const global = helper.getNode("get").context().global;
    await new Promise<void>((resolve, reject) =>
      global.get("accessToken", "file", (err: Error | null, value: Record<string, unknown>) => {
        if (err) return reject(err);
        global.set("accessToken", { ...value, expiresAt: Date.now() - 1 }, "file", (e: Error | null) =>
          e ? reject(e) : resolve(),
        );
      }),
    );
    await stop();
    await start();
    await token();
    assert.equal(suite.sim.count("oneaccess.token"), 2);
    await stop();
  });
});
