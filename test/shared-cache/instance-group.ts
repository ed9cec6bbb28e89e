// Several real Node-RED processes with one accessTokenSharedCache setting, each running the flows
// of shared-flows.ts against the simulator, for the topology tests: started together, asked
// together, stopped together.
import assert from "node:assert/strict";
import type { ProviderSimulator } from "../simulator";
import { NodeRedInstance } from "./node-red-instance";
import { flows } from "./shared-flows";

const LIFETIME_MS = 5 * 60_000;

export class InstanceGroup {
  private constructor(readonly instances: NodeRedInstance[]) {}

  /**
   * Start `count` processes and deploy the flows (shared-flows.ts unless given); one that fails to
   * start stops the others.
   */
  static async start(
    sim: ProviderSimulator,
    sharedCache: Record<string, unknown>,
    { count = 2, flowsOf = flows }: { count?: number; flowsOf?: (sim: ProviderSimulator) => unknown[] } = {},
  ): Promise<InstanceGroup> {
    const settled = await Promise.allSettled(
      Array.from({ length: count }, () => NodeRedInstance.start({ sharedCache, lifetimeMs: LIFETIME_MS })),
    );
    const group = new InstanceGroup(settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : [])));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
    try {
      if (failed) throw failed.reason;
      await Promise.all(group.instances.map((instance) => instance.deploy(flowsOf(sim))));
    } catch (err) {
      await group.stop();
      throw err;
    }
    return group;
  }

  /** n concurrent requests at every instance at once; every answer must be 200. The bodies, per instance. */
  async burst(pathAndQuery: (index: number) => string, n: number): Promise<string[][]> {
    return Promise.all(
      this.instances.map(async (instance, index) => {
        const answers = await Promise.all(Array.from({ length: n }, () => instance.get(pathAndQuery(index))));
        for (const answer of answers) assert.equal(answer.status, 200, `instance ${index}: ${answer.body}`);
        return answers.map((a) => a.body);
      }),
    );
  }

  /** The one token every answer of a burst carried (fails when they differ). */
  static single(bodies: string[][]): string {
    const tokens = new Set(bodies.flat());
    assert.equal(tokens.size, 1, `one token everywhere, got ${tokens.size}`);
    const [token] = tokens;
    assert.ok(token.length > 0);
    return token;
  }

  /** Lines where an instance said the shared cache was unavailable (an outage it fell back from). */
  outages(): string[] {
    return this.instances.flatMap((i) => i.output.split("\n").filter((l) => /shared token cache unavailable/.test(l)));
  }

  async stop(): Promise<void> {
    await Promise.all(this.instances.map((i) => i.stop()));
  }
}
