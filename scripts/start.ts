// `npm start`: this package in a real Node-RED, every example flow deployed and wired to the vendor
// simulator, so each example works with one click on its inject node, with no vendor account.
//
//   PORT            Node-RED editor port (default 1880)
//   SIMULATOR_PORT  simulator port (default 18080 if free, else any; 0 = any)
//   USER_DIR        Node-RED user directory (default .userdir/ in the repository)
//
// This process runs the simulator and supervises Node-RED as a child process. Ctrl-C (SIGINT) or
// SIGTERM stops Node-RED, then the simulator, then exits; a test drives it the same way.
import { spawn, type ChildProcess } from "node:child_process";
import * as net from "node:net";
import * as path from "node:path";
import { ProviderSimulator } from "../test/simulator";
import { deployFlows, waitForAdmin } from "./demo/admin-api";
import { combineFlows, loadExamples, REPO_ROOT } from "./demo/examples";
import { chooseNodeRed } from "./demo/node-red-install";
import { revokeTab, DEMO_TAB_LABEL } from "./demo/revoke";
import { rewireToSimulator, simulatorCredentials } from "./demo/rewire";
import { prepareUserDir } from "./demo/user-dir";

const DEFAULT_SIMULATOR_PORT = 18080;
const START_TIMEOUT_MS = 60_000;
/** Node-RED closes its flows on SIGINT; past this it is killed. */
const STOP_TIMEOUT_MS = 10_000;

function portFromEnv(name: string, fallback: number | undefined): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name}=${raw} is not a port number`);
  return port;
}

function log(line: string): void {
  process.stdout.write(`[demo] ${line}\n`);
}

/** A free loopback port is one we can listen on; Node-RED's own error for a busy one is less clear. */
function checkPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(new Error(err.code === "EADDRINUSE" ? `port ${port} is in use: set PORT to another one` : err.message)),
    );
    server.listen(port, "127.0.0.1", () => server.close(() => resolve()));
  });
}

async function startSimulator(requested: number | undefined): Promise<ProviderSimulator> {
  if (requested !== undefined) return ProviderSimulator.start({ port: requested });
  try {
    return await ProviderSimulator.start({ port: DEFAULT_SIMULATOR_PORT });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
    return ProviderSimulator.start({ port: 0 });
  }
}

function startNodeRed(entry: string, userDir: string, settingsFile: string): ChildProcess {
  const watch = path.join(__dirname, "demo", "parent-watch.js");
  // The IPC channel is only there so the child notices when this process is gone (parent-watch).
  return spawn(process.execPath, ["-r", watch, entry, "--userDir", userDir, "--settings", settingsFile], {
    cwd: userDir,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
}

async function main(): Promise<void> {
  const port = portFromEnv("PORT", 1880) as number;
  const userDir = path.resolve(process.env.USER_DIR || path.join(REPO_ROOT, ".userdir"));
  const nodeRed = chooseNodeRed();
  await checkPortFree(port);

  const sim = await startSimulator(portFromEnv("SIMULATOR_PORT", undefined));
  let child: ChildProcess | undefined;
  let childExit: Promise<number> = Promise.resolve(0);
  let stopping: Promise<void> | undefined;

  const stop = (code: number): Promise<void> =>
    (stopping ??= (async () => {
      if (child && child.exitCode === null && child.signalCode === null) {
        log("stopping Node-RED ...");
        child.kill("SIGINT");
        const timer = setTimeout(() => child?.kill("SIGKILL"), STOP_TIMEOUT_MS);
        await childExit;
        clearTimeout(timer);
      }
      await sim.close();
      log("stopped");
      process.exit(code);
    })());
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));

  try {
    const settingsFile = prepareUserDir({ dir: userDir, port });
    log(`starting Node-RED ${nodeRed.version} on Node.js ${process.versions.node} (user directory ${userDir})`);
    child = startNodeRed(nodeRed.entry, userDir, settingsFile);
    const started = child;
    childExit = new Promise((resolve) => started.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
    void childExit.then((code) => {
      if (!stopping) {
        log(`Node-RED exited (code ${code})`);
        void stop(code === 0 ? 1 : code);
      }
    });
    const api = { url: `http://127.0.0.1:${port}` };
    await waitForAdmin(api, START_TIMEOUT_MS, () => started.exitCode === null && started.signalCode === null);

    // Deployed on every start: the simulator's URL may differ from the last run.
    const examples = loadExamples();
    // Plus the demo's own tab: an inject per vendor that revokes its tokens at the simulator.
    const flows = combineFlows([
      ...examples.map((example) => rewireToSimulator(example.flow, sim)),
      revokeTab(sim.url),
    ]);
    await deployFlows(api, flows, simulatorCredentials(flows, sim));

    log(`Simulator: ${sim.url} (demo accounts: GET ${sim.url}/__simulator/accounts)`);
    log(
      `deployed ${examples.length} example flows, one tab each: click an inject node, the output is in the debug sidebar`,
    );
    log(`tab "${DEMO_TAB_LABEL}": revoke a vendor's tokens, then run an example again to see api request retry once`);
    log(`Node-RED pid ${started.pid}`);
    log(`Node-RED editor: ${api.url}`);
    log("Ctrl-C stops Node-RED and the simulator");
  } catch (err) {
    log(`could not start the demo: ${err instanceof Error ? err.message : String(err)}`);
    await stop(1);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
