// The frame of a suite on a real Node-RED runtime (node-red-node-test-helper) against the simulator:
// both started once, and after each test its flows unloaded, its runtime settings cleared and the
// simulator's faults and counts reset. Also what the runtime logged, by level.
import { ProviderSimulator } from "../simulator";
import { helper } from "./node-red";

/** The started simulator, from the suite's first `before` on. */
export interface SimulatorSuite {
  readonly sim: ProviderSimulator;
}

/** Call inside a describe(): registers the hooks, and returns where the simulator will be. */
export function simulatorSuite(): SimulatorSuite {
  let started: ProviderSimulator | undefined;
  before(async () => {
    started = await ProviderSimulator.start();
    await helper.startServer();
  });
  after(async () => {
    await helper.stopServer();
    await started?.close();
  });
  afterEach(async () => {
    await helper.unload();
    helper.settings({});
    started?.reset();
  });
  return {
    get sim(): ProviderSimulator {
      if (!started) throw new Error("the simulator starts in the suite's before hook");
      return started;
    },
  };
}

/** Node-RED's numeric log levels. */
const LEVELS = { error: 20, warn: 30 } as const;

/** The messages the runtime logged at this level since the last load. */
export function logged(level: keyof typeof LEVELS): string[] {
  const spy = helper.log() as { getCalls?: () => Array<{ args: Array<{ level: number; msg: unknown }> }> };
  return (spy.getCalls?.() ?? [])
    .map((call) => call.args[0])
    .filter((entry) => entry.level === LEVELS[level])
    .map((entry) => String(entry.msg));
}
