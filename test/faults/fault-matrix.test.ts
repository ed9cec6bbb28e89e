// The fault matrix: every row of cases-*.ts through one runner (runner.ts) in a real Node-RED
// runtime against the simulator, each row then sweeping everything the runtime showed for secrets.
import assert from "node:assert/strict";
import { ProviderSimulator } from "../simulator";
import { secretsOf } from "../support/flows";
import { shapesOf } from "../support/secret-shapes";
import { helper } from "../support/node-red";
import { TestProxy } from "../support/proxy";
import { Relay, selfSignedCertificate } from "../support/tls";
import { NETWORK_CASES, PROXY_PASSWORD } from "./cases-network";
import { RESPONSE_CASES } from "./cases-response";
import { VENDOR_CASES } from "./cases-vendor";
import { Evidence, FORBIDDEN_PATTERNS } from "./evidence";
import { runCase } from "./runner";
import type { FaultEnv } from "./types";

describe("fault matrix (get token in a runtime, against the simulator)", function () {
  this.timeout(30_000);
  const evidence = new Evidence();
  const crashes: unknown[] = [];
  const onCrash = (reason: unknown) => crashes.push(reason);
  let env: FaultEnv;

  before(async () => {
    process.on("unhandledRejection", onCrash);
    process.on("uncaughtException", onCrash);
    const sim = await ProviderSimulator.start();
    const proxy = await TestProxy.start();
    const certificate = selfSignedCertificate();
    const relay = certificate ? await new Relay(sim.port, certificate).listen() : undefined;
    env = { sim, proxy, tls: relay && certificate ? { relay, certificate } : undefined, cleanup: [] };
  });

  after(async () => {
    process.off("unhandledRejection", onCrash);
    process.off("uncaughtException", onCrash);
    await env.tls?.relay.close();
    await env.proxy.close();
    await env.sim.close();
  });

  afterEach(async () => {
    await helper.unload();
    for (const cleanup of env.cleanup.splice(0).reverse()) await cleanup();
    env.sim.reset();
    env.proxy.reset();
    env.proxy.auth = undefined;
    env.port = undefined;
    env.resolver = undefined;
    assert.deepEqual(crashes, [], "no unhandled rejection or exception");
  });

  for (const [group, cases] of [
    ["network", NETWORK_CASES],
    ["response", RESPONSE_CASES],
    ["vendor", VENDOR_CASES],
  ] as const) {
    describe(group, () => {
      for (const c of cases) {
        it(c.name, async function () {
          const reason = c.skip?.(env);
          if (reason) {
            // In CI every row must run: the test command installs what they need (openssl).
            if (process.env.CI) throw new Error(`CI is set, so this case must run: ${reason}`);
            console.log(`      skipped: ${reason}`);
            this.skip();
          }
          // Each row sweeps what it collected itself, so that it stands alone (run with --grep).
          const from = evidence.size;
          await runCase(c, env, evidence);
          assert.ok(evidence.size - from > 3, `the row collected ${evidence.size - from} items`);
          evidence.assertFree([...secretsOf(env.sim), ...shapesOf(PROXY_PASSWORD), ...FORBIDDEN_PATTERNS], from);
        });
      }
    });
  }
});
