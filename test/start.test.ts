// `npm start` as a user runs it: the entry point in its own process with its own ports and user
// directory, Node-RED (the one under test) as its child. One example is clicked through the admin
// API, its debug output read from the editor's /comms websocket and the API calls from the
// simulator's counters; then the demo tab's revoke inject and the example again: exactly one new
// token request and the same output. Ctrl-C (SIGINT) must then stop both processes.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { loadExamples, REPO_ROOT } from "../scripts/demo/examples";
import { DEMO_TAB_LABEL, revokeInjectId } from "../scripts/demo/revoke";
import { nodeRedPath, nodeRedVersion } from "./support/node-red";
import { freePort } from "./support/ports";

const START = path.join(REPO_ROOT, "dist", "scripts", "start.js");
// The editor's websocket client is the ws package Node-RED itself depends on.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- ws from the Node-RED under test, not a dependency of ours
const WebSocket = require(require.resolve("ws", { paths: [path.dirname(nodeRedPath)] }));

interface Demo {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startDemo(env: Record<string, string>): Demo {
  // NODE_RED_PATH passes through: under the matrix the demo runs the Node-RED under test.
  const child = spawn(process.execPath, [START], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Polls `read` until it matches `pattern` (bounded); resolves with the match. */
async function waitFor(
  read: () => string,
  pattern: RegExp,
  timeoutMs: number,
  what: string,
): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = pattern.exec(read());
    if (match) return match;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ${what} within ${timeoutMs / 1000} s; output so far:\n${read()}`);
}

/** `promise`'s value, or "still running" after `ms` (the timer is cleared either way). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | "still running"> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"still running">((resolve) => (timer = setTimeout(() => resolve("still running"), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isAlive(pid);
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

async function getJson(url: string, init?: RequestInit): Promise<any> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5_000) });
  assert.ok(res.ok, `${url}: HTTP ${res.status}`);
  const text = await res.text();
  return text === "OK" ? text : JSON.parse(text);
}

describe("npm start (scripts/start.ts)", function () {
  this.timeout(90_000);
  let tmp: string;
  /** Every pid started here, killed in afterEach if a test left one behind. */
  let pids: number[];

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "access-token-demo-"));
    pids = [];
  });
  afterEach(async () => {
    for (const pid of pids) if (isAlive(pid)) process.kill(pid, "SIGKILL");
    for (const pid of pids) await waitGone(pid, 5_000);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("serves every example on the simulator, runs one on a click, and stops both processes on SIGINT", async () => {
    const [port, simPort] = [await freePort(), await freePort()];
    const userDir = path.join(tmp, "userdir");
    const demo = startDemo({ PORT: String(port), SIMULATOR_PORT: String(simPort), USER_DIR: userDir });
    pids.push(demo.child.pid as number);
    const editor = (await waitFor(demo.output, /Node-RED editor: (http:\/\/\S+)/, 60_000, "editor URL"))[1];
    assert.equal(editor, `http://127.0.0.1:${port}`);
    const simUrl = (await waitFor(demo.output, /Simulator: (http:\/\/\S+)/, 1_000, "simulator URL"))[1];
    assert.equal(simUrl, `http://127.0.0.1:${simPort}`);
    const version = nodeRedVersion().replace(/-git$/, "");
    assert.ok(
      demo.output().includes(`starting Node-RED ${version} on Node.js ${process.versions.node}`),
      "the Node-RED under test",
    );
    const nodeRedPid = Number((await waitFor(demo.output, /Node-RED pid (\d+)/, 1_000, "Node-RED pid"))[1]);
    pids.push(nodeRedPid);

    // Import > Examples lists the package's examples.
    const listed = await getJson(`${editor}/library/examples/flows/@iot-token/node-red-access-token`);
    assert.deepEqual(
      listed.map((e: { fn: string }) => e.fn),
      loadExamples().map((e) => e.title),
    );

    // Every example tab is deployed, plus the demo's own tab; the credentials are in flows_cred.json, encrypted.
    const deployed = await getJson(`${editor}/flows`);
    const tabs = deployed.filter((n: { type: string }) => n.type === "tab");
    assert.equal(tabs.length, loadExamples().length + 1);
    assert.ok(
      tabs.some((t: { label: string }) => t.label === DEMO_TAB_LABEL),
      "the demo tab with the revoke injects",
    );
    const accounts = await getJson(`${simUrl}/__simulator/accounts`);
    const stored = fs.readFileSync(path.join(userDir, "flows_cred.json"), "utf8");
    assert.deepEqual(Object.keys(JSON.parse(stored)), ["$"], "encrypted with the credentialSecret");
    for (const value of [
      accounts.orionstar.secret,
      accounts.enos.appSecret,
      accounts.oneaccess.clientSecret,
      accounts.orionstar.appid,
    ]) {
      assert.ok(!stored.includes(value) && !JSON.stringify(deployed).includes(value));
    }

    // One click on the OrionStar example's inject node, as the editor's button does it.
    const ws = new WebSocket(`ws://127.0.0.1:${port}/comms`);
    const debug: Array<{ name: string; msg: string }> = [];
    ws.on("message", (data: Buffer) => {
      for (const event of JSON.parse(data.toString())) if (event.topic === "debug") debug.push(event.data);
    });
    try {
      await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
      ws.send(JSON.stringify({ subscribe: "debug" }));
      await new Promise((resolve) => setTimeout(resolve, 200));
      const orionstar = loadExamples().find((e) => e.title === "OrionStar - list robots");
      const inject = orionstar?.flow.find((n) => n.type === "inject");
      assert.ok(inject);
      assert.equal(await getJson(`${editor}/inject/${inject.id}`, { method: "POST" }), "OK");
      await waitFor(
        () => debug.map((d) => d.name).join(","),
        /robot status/,
        15_000,
        "robot status in the debug sidebar",
      );
      const list = debug.find((d) => d.name === "robot list");
      assert.ok(list && list.msg.includes(accounts.orionstar.robotSn), "the robot list reached the debug sidebar");
      assert.ok(debug.find((d) => d.name === "robot status")?.msg.includes("battery"));
      const counts = await getJson(`${simUrl}/__simulator/counts`);
      assert.deepEqual(
        [counts["orionstar.token"], counts["orionstar.robot_list"], counts["orionstar.robot_info"]],
        [1, 1, 1],
      );

      // The demo tab revokes OrionStar's tokens at the simulator; the same click then shows the
      // same output, after exactly one new token request and the refused call sent again once.
      assert.equal(await getJson(`${editor}/inject/${revokeInjectId("orionstar")}`, { method: "POST" }), "OK");
      await waitFor(() => debug.map((d) => d.name).join(","), /revoked/, 15_000, "revoked in the debug sidebar");
      const shownBefore = debug.length;
      assert.equal(await getJson(`${editor}/inject/${inject.id}`, { method: "POST" }), "OK");
      await waitFor(
        () =>
          debug
            .slice(shownBefore)
            .map((d) => d.name)
            .join(","),
        /robot status/,
        15_000,
        "robot status again after the revoke",
      );
      const again = debug.slice(shownBefore);
      assert.ok(again.find((d) => d.name === "robot list")?.msg.includes(accounts.orionstar.robotSn));
      assert.ok(again.find((d) => d.name === "robot status")?.msg.includes("battery"));
      assert.deepEqual(
        again.filter((d) => d.name === "error message"),
        [],
        "nothing reached the Catch node",
      );
      const after = await getJson(`${simUrl}/__simulator/counts`);
      assert.deepEqual(
        [after["orionstar.token"], after["orionstar.robot_list"], after["orionstar.robot_info"]],
        [2, 3, 2],
        "one new token; robot_list refused once and sent again",
      );
    } finally {
      ws.terminate();
    }

    demo.child.kill("SIGINT");
    const code = await within(demo.exited, 20_000);
    assert.equal(code, 0, demo.output());
    assert.ok(await waitGone(nodeRedPid, 5_000), "Node-RED exited too");
    assert.ok(await refused(port), "the editor port is closed");
    assert.ok(await refused(simPort), "the simulator port is closed");
    assert.match(demo.output(), /\[demo\] stopped/);
  });

  it("Node-RED stops by itself when the start process is killed outright", async () => {
    const [port, simPort] = [await freePort(), await freePort()];
    const demo = startDemo({
      PORT: String(port),
      SIMULATOR_PORT: String(simPort),
      USER_DIR: path.join(tmp, "userdir"),
    });
    pids.push(demo.child.pid as number);
    await waitFor(demo.output, /Node-RED editor: /, 60_000, "editor URL");
    const nodeRedPid = Number((await waitFor(demo.output, /Node-RED pid (\d+)/, 1_000, "Node-RED pid"))[1]);
    pids.push(nodeRedPid);
    demo.child.kill("SIGKILL");
    await demo.exited;
    assert.ok(await waitGone(nodeRedPid, 15_000), "Node-RED exited after its parent was killed");
    assert.ok(await refused(port));
  });

  it("a busy editor port: says so and exits, starting nothing", async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", () => resolve()));
    try {
      const port = (busy.address() as net.AddressInfo).port;
      const demo = startDemo({ PORT: String(port), SIMULATOR_PORT: "0", USER_DIR: path.join(tmp, "userdir") });
      pids.push(demo.child.pid as number);
      const code = await within(demo.exited, 20_000);
      assert.equal(code, 1);
      assert.match(demo.output(), new RegExp(`port ${port} is in use`));
      assert.ok(!fs.existsSync(path.join(tmp, "userdir")), "nothing was started or written");
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  it("a USER_DIR that is not the demo's (e.g. ~/.node-red): refuses, leaving its flows alone", async () => {
    const userDir = path.join(tmp, "someone-elses");
    fs.mkdirSync(userDir);
    fs.writeFileSync(path.join(userDir, "flows.json"), "[]");
    const demo = startDemo({ PORT: String(await freePort()), SIMULATOR_PORT: "0", USER_DIR: userDir });
    pids.push(demo.child.pid as number);
    assert.equal(await within(demo.exited, 20_000), 1);
    assert.match(demo.output(), /not a demo user directory/);
    assert.deepEqual(fs.readdirSync(userDir), ["flows.json"]);
  });
});
