// Saved configs carry a version, and one place brings older ones up to date: a flow saved by 0.1.0
// (no version property) still loads and works.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { CONFIG_VERSION, migrateConfig, savedVersion } from "../src/nodes/config-version";
import { ProviderSimulator } from "./simulator";
import { demoCredentials, nextMessage } from "./support/flows";
import { accessTokenNodes, helper } from "./support/node-red";

const fixture = path.join(__dirname, "..", "..", "test", "fixtures", "saved-by-0.1.0.json");

describe("saved config versions", () => {
  it("reads a config without a version as saved by 0.1.0 (version 0)", () => {
    assert.equal(savedVersion({ id: "a", type: "access-token" }), 0);
    assert.equal(savedVersion({ id: "a", type: "access-token", version: "1" }), 0, "a string is no version");
    assert.equal(savedVersion({ id: "a", type: "access-token", version: 1 }), 1);
    assert.equal(savedVersion({ id: "a", type: "access-token", version: -1 }), 0, "a negative number is no version");
    assert.equal(savedVersion({ id: "a", type: "access-token", version: 1.5 }), 0, "nor is a fraction");
    assert.equal(migrateConfig({ id: "a", type: "access-token", version: -1 }).version, CONFIG_VERSION);
  });

  it("migrates every config up to this release's version, keeping its properties", () => {
    const saved = { id: "a", type: "access-token", provider: "enos", enos: "cfg", margin: 120 };
    const migrated = migrateConfig(saved);
    assert.equal(migrated.version, CONFIG_VERSION);
    assert.deepEqual({ ...migrated, version: undefined }, { ...saved, version: undefined });
    assert.equal(Object.hasOwn(saved, "version"), false, "the saved config is not changed in place");
  });

  it("uses a config from a newer release as it was saved", () => {
    const newer = { id: "a", type: "access-token", version: CONFIG_VERSION + 1, extra: true };
    assert.deepEqual(migrateConfig(newer), newer);
  });

  describe("a flow saved by 0.1.0 in a runtime", function () {
    this.timeout(20_000);
    let sim: ProviderSimulator;
    before(async () => {
      sim = await ProviderSimulator.start();
      await helper.startServer();
    });
    after(async () => {
      await helper.unload();
      await helper.stopServer();
      await sim.close();
    });

    it("loads and gets a token", async () => {
      const flow = JSON.parse(fs.readFileSync(fixture, "utf8").replace("BASE_URL", sim.url)) as Array<
        Record<string, unknown>
      >;
      assert.ok(
        flow.every((node) => !("version" in node)),
        "the fixture is as 0.1.0 saved it",
      );
      await helper.load([accessTokenNodes], flow, { cfg: demoCredentials(sim, "oneaccess") });
      const out = nextMessage("out");
      helper.getNode("get").receive({ payload: 1 });
      const msg = await out;
      assert.equal(msg.headers.Authorization, `Bearer ${msg.token}`);
      assert.equal(sim.count("oneaccess.token"), 1);
    });
  });
});
