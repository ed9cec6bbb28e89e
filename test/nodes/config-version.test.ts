// Saved configs carry a version, and one place brings older ones up to date: a flow saved by 0.1.0
// (no version property) still loads and works, and so do oauth2 and custom nodes saved before they
// had an API URL of their own.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { CONFIG_VERSION, migrateConfig, savedVersion } from "../../src/nodes/config-version";
import { DEFAULT_AUTH_HEADER } from "../../src/providers/custom-settings";
import { demoCredentials, nextMessage } from "../support/flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";
import { simulatorSuite } from "../support/simulator-suite";

const fixtures = path.join(path.dirname(__dirname), "..", "..", "test", "fixtures");
const fixture = path.join(fixtures, "saved-by-0.1.0.json");
/** oauth2 and custom nodes of version 1, when relative API paths joined their token URL's origin. */
const beforeApiOrigins = path.join(fixtures, "saved-before-api-origins.json");

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

  it("gives oauth2 and custom saved without apiUrl their token URL's origin as API URL; a new one stays empty", () => {
    for (const type of ["oauth2-credentials", "custom-token-credentials"]) {
      const tokenUrl = " https://Auth.example.com:8443/realms/iot/token ";
      for (const version of [undefined, 0, 1]) {
        assert.equal(migrateConfig({ id: "c", type, tokenUrl, version }).apiUrl, "https://auth.example.com:8443", type);
      }
      // The node reads its token URL trimmed of any white space, a pasted no-break space too.
      const pasted = "\u00a0https://auth.example.com/token\u00a0";
      assert.equal(migrateConfig({ id: "c", type, tokenUrl: pasted, version: 1 }).apiUrl, "https://auth.example.com");
      assert.equal(migrateConfig({ id: "c", type, tokenUrl: "not a url", version: 1 }).apiUrl, "");
      assert.equal(migrateConfig({ id: "c", type, version: 1 }).apiUrl, "", "no token URL: no API URL");
      assert.equal(migrateConfig({ id: "c", type, tokenUrl, version: 1, apiUrl: "" }).apiUrl, "", "chosen: kept");
      assert.equal(Object.hasOwn(migrateConfig({ id: "c", type, tokenUrl, version: 2 }), "apiUrl"), false);
    }
    for (const type of ["orionstar-credentials", "enos-credentials", "oneaccess-credentials", "access-token"]) {
      const saved = { id: "c", type, baseUrl: "https://api.example.com", tokenUrl: "https://x.example/t", version: 1 };
      assert.deepEqual(migrateConfig(saved), { ...saved, version: CONFIG_VERSION }, type);
    }
  });

  it("keeps custom nodes saved before version 3 with an empty auth header sending Authorization", () => {
    const type = "custom-token-credentials";
    for (const authHeader of [undefined, "", "  ", "\u00a0", 7]) {
      const migrated = migrateConfig({ id: "c", type, authHeader, version: 2 });
      assert.equal(migrated.authHeader, DEFAULT_AUTH_HEADER, JSON.stringify(authHeader));
    }
    assert.equal(migrateConfig({ id: "c", type, authHeader: " X-Token ", version: 2 }).authHeader, " X-Token ");
    assert.equal(migrateConfig({ id: "c", type, authHeader: "", version: 3 }).authHeader, "", "chosen in version 3");
    const oauth2 = { id: "c", type: "oauth2-credentials", authHeader: "", apiUrl: "", version: 2 };
    assert.deepEqual(migrateConfig(oauth2), { ...oauth2, version: CONFIG_VERSION });
  });

  it("uses a config from a newer release as it was saved", () => {
    const newer = { id: "a", type: "access-token", version: CONFIG_VERSION + 1, extra: true };
    assert.deepEqual(migrateConfig(newer), newer);
  });

  describe("older flows in a runtime", function () {
    this.timeout(20_000);
    const suite = simulatorSuite();

    it("a flow saved by 0.1.0 loads and gets a token", async () => {
      const flow = JSON.parse(fs.readFileSync(fixture, "utf8").replace("BASE_URL", suite.sim.url)) as Array<
        Record<string, unknown>
      >;
      assert.ok(
        flow.every((node) => !("version" in node)),
        "the fixture is as 0.1.0 saved it",
      );
      await helper.load([accessTokenNodes], flow, { cfg: demoCredentials(suite.sim, "oneaccess") });
      const out = nextMessage("out");
      helper.getNode("get").receive({ payload: 1 });
      const msg = await out;
      assert.equal(msg.headers.Authorization, `Bearer ${msg.token}`);
      assert.equal(suite.sim.count("oneaccess.token"), 1);
    });

    it("oauth2 and custom saved before apiUrl existed still call paths on their token URL's origin", async () => {
      const flow = JSON.parse(fs.readFileSync(beforeApiOrigins, "utf8").replaceAll("BASE_URL", suite.sim.url)) as Array<
        Record<string, unknown>
      >;
      assert.ok(
        flow.every((node) => !("apiUrl" in node) && (node.version === undefined || node.version === 1)),
        "the fixture is as version 1 saved it",
      );
      const a = suite.sim.accounts;
      await helper.load([accessTokenNodes, coreNode(CORE.catch)], flow, {
        "cfg-oauth2": { clientId: a.oauth2.clientId, clientSecret: a.oauth2.clientSecret },
        "cfg-custom-homemade": { key: a.homemade.appKey, secret: a.homemade.appSecret },
      });
      for (const [id, path] of [
        ["api-oauth2", "/oauth2/api/things"],
        ["api-custom", "/openapi/v3/devices"],
      ]) {
        const out = Promise.race([nextMessage("out"), nextMessage("caught")]);
        helper.getNode(id).receive({});
        const msg = await out;
        assert.equal(msg.error?.message, undefined, id);
        assert.equal(msg.statusCode, 200, id);
        assert.equal(msg.responseUrl, suite.sim.url + path, id);
      }
    });
  });
});
