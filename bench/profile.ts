// Where the get token node's time goes (the issue asks when it is below the goal; it is cheap, so always): a CPU profile (V8's sampling
// profiler via node:inspector, in this process) of 2 s of cached-token traffic through one get
// token node, reduced to the functions with the most inclusive time.
import * as inspector from "node:inspector";
import { burst, pump } from "./driver";
import type { NodeMessage } from "../src/nodes/node-red";
import { layout, type Accounts, type Line } from "./flows";
import type { BenchRuntime, FlowSet } from "./runtime";

export interface Profile {
  /** Share of samples spent in this package's own code (dist/src), callees not counted. */
  packageSelf: number;
  /** Where the CPU was when sampled: the functions with the most self time, anywhere. */
  topSelf: Hotspot[];
  /** This package's named functions by inclusive time (callees counted). */
  ours: Hotspot[];
}

export interface Hotspot {
  /** Share of all samples in which this function was on the stack. */
  share: number;
  name: string;
  where: string;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

function post<T>(session: inspector.Session, method: string): Promise<T> {
  return new Promise((resolve, reject) =>
    session.post(method, (err, result) => (err ? reject(err) : resolve(result as T))),
  );
}

/** Frames that are on every stack (the event loop, the bench's own driver) say nothing. */
const BORING =
  /^\((root|program|idle|garbage collector)\)$|^(runMicrotasks|processImmediate|processTicksAndRejections|runNextTicks|listOnTimeout|processTimers)$/;

export async function profileGetToken(
  rt: BenchRuntime,
  simUrl: string,
  account: Accounts,
  ms: number,
): Promise<Profile> {
  const set = layout({ contender: "get-token", prefix: "prof", tabs: 1, perTab: 1, simUrl, account });
  return (await profileTraffic(rt, set, { ms, window: 1_000, valid: () => true })).profile;
}

export interface TrafficProfile {
  profile: Profile;
  /** Messages that came through while the profiler ran, and in how long. */
  arrived: number;
  elapsedMs: number;
}

/** Deploys the set, primes and warms its first line, then profiles `ms` of traffic through it. */
export async function profileTraffic(
  rt: BenchRuntime,
  set: FlowSet & { lines: Line[] },
  options: { ms: number; window: number; valid: (msg: NodeMessage) => boolean },
): Promise<TrafficProfile> {
  const { ms, window, valid } = options;
  await rt.deploy(set);
  const targets = [rt.node(set.lines[0].first)];
  await burst(targets, 1, valid, 10_000);
  await pump({ targets, durationMs: 500, maxMessages: 5_000_000, window, valid }); // warm-up
  const session = new inspector.Session();
  session.connect();
  try {
    await post(session, "Profiler.enable");
    await post(session, "Profiler.start");
    const run = await pump({ targets, durationMs: ms, maxMessages: 5_000_000, window, valid });
    const { profile } = await post<{ profile: { nodes: ProfileNode[]; samples: number[] } }>(session, "Profiler.stop");
    return { profile: hotspots(profile.nodes, profile.samples), arrived: run.arrived, elapsedMs: run.elapsedMs };
  } finally {
    session.disconnect();
  }
}

function hotspots(nodes: ProfileNode[], samples: number[]): Profile {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const hits = new Map<number, number>();
  for (const id of samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const self = new Map<string, Entry>();
  const ours = new Map<string, Entry>();
  let packageSelf = 0;
  for (const [id, count] of hits) {
    const leaf = byId.get(id)!.callFrame;
    if (isOurs(leaf.url)) packageSelf += count;
    if (!BORING.test(leaf.functionName) && !leaf.url.includes("/bench/")) add(self, leaf, count);
    // Inclusive time of our named functions: each counted once per sample, however deep the recursion.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)!.callFrame;
      if (!isOurs(frame.url) || !frame.functionName) continue;
      const key = keyOf(frame);
      if (!seen.has(key)) add(ours, frame, count);
      seen.add(key);
    }
  }
  const top = (m: Map<string, Entry>, n: number) =>
    [...m.values()]
      .sort((x, y) => y.count - x.count)
      .slice(0, n)
      .map((e) => ({ share: e.count / samples.length, name: e.name, where: e.where }));
  return { packageSelf: packageSelf / samples.length, topSelf: top(self, 8), ours: top(ours, 8) };
}

interface Entry {
  count: number;
  name: string;
  where: string;
}

const isOurs = (url: string) => url.includes("/dist/src/");
const keyOf = (frame: ProfileNode["callFrame"]) => `${frame.functionName} ${frame.url}:${frame.lineNumber}`;

function add(map: Map<string, Entry>, frame: ProfileNode["callFrame"], count: number): void {
  const key = keyOf(frame);
  const entry = map.get(key) ?? {
    count: 0,
    name: frame.functionName || "(anonymous)",
    where: `${shortUrl(frame.url)}:${frame.lineNumber + 1}`,
  };
  entry.count += count;
  map.set(key, entry);
}

function shortUrl(url: string): string {
  const file = url.replace(/^file:\/\//, "");
  const modules = file.lastIndexOf("node_modules/");
  if (modules >= 0) return file.slice(modules + "node_modules/".length);
  const dist = file.lastIndexOf("/dist/");
  return dist >= 0 ? file.slice(dist + 1) : file || "(native)";
}
