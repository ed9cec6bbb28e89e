// Every provider of src/providers and every preset reaches the places a provider must be: the
// simulator, the fault matrix, the e2e install flow, an example flow, a page in docs/vendors/. A
// provider added without one of them fails here, naming what is missing.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { providers } from "../src/providers";
import { PRESET_IDS } from "../src/providers/preset-ids";
import { PROVIDER_IDS as E2E_PROVIDERS } from "./e2e/support/e2e-flows";
import { RESPONSE_CASES } from "./faults/cases-response";
import { PROVIDERS as SIMULATED, SERVERS } from "./simulator";
import { SOURCE_VENDORS, VENDOR_IDS } from "./support/vendors";

const ROOT = path.join(__dirname, "..", "..");

describe("every provider and preset is covered", () => {
  it("the simulator models every built-in vendor of src/providers", () => {
    assert.deepEqual(
      SOURCE_VENDORS.filter((id) => !(SIMULATED as readonly string[]).includes(id)),
      [],
      "vendors of src/providers without a simulator (test/simulator)",
    );
    assert.deepEqual([...VENDOR_IDS], [...SOURCE_VENDORS]);
  });

  it("the generic providers and every preset have a server of the simulator", () => {
    // oauth2 is the strict RFC 6749 server; custom's own is the home-made endpoint; presets are their cloud.
    const wanted = ["oauth2", "homemade", ...PRESET_IDS];
    assert.deepEqual(
      wanted.filter((id) => !(SERVERS as readonly string[]).includes(id)),
      [],
    );
    assert.deepEqual(
      Object.keys(providers).filter((id) => !SOURCE_VENDORS.includes(id)),
      ["oauth2", "custom"],
      "a new generic provider needs a server here",
    );
  });

  it("the fault matrix and the e2e install flow run for every vendor", () => {
    const faulted = new Set(RESPONSE_CASES.map((c) => c.provider));
    assert.deepEqual(
      SOURCE_VENDORS.filter((id) => !faulted.has(id as never)),
      [],
      "vendors without fault matrix rows",
    );
    assert.deepEqual([...E2E_PROVIDERS], [...SOURCE_VENDORS], "vendors of the e2e install flow");
  });

  it("every provider and every preset has an example flow and a page in docs/vendors/", () => {
    const examples = fs
      .readdirSync(path.join(ROOT, "examples"))
      .map((file) => fs.readFileSync(path.join(ROOT, "examples", file), "utf8"));
    const nodes = examples.flatMap((text) => JSON.parse(text) as Array<Record<string, unknown>>);
    const types = new Set(nodes.map((node) => node.type));
    const presetsUsed = new Set(nodes.map((node) => node.preset));
    const missing = [
      ...Object.values(providers)
        .filter((adapter) => !types.has(adapter.configType))
        .map((adapter) => `example of ${adapter.id}`),
      ...PRESET_IDS.filter((id) => !presetsUsed.has(id)).map((id) => `example of preset ${id}`),
      ...[...Object.keys(providers), ...PRESET_IDS]
        .filter((id) => !fs.existsSync(path.join(ROOT, "docs", "vendors", `${id}.md`)))
        .map((id) => `docs/vendors/${id}.md`),
    ];
    assert.deepEqual(missing, []);
  });
});
