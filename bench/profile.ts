// Where the get token node's time goes (the issue asks when it is below the goal; it is cheap, so always): a CPU profile (V8's sampling
// profiler via node:inspector, in this process) of 2 s of cached-token traffic through one get
// token node, reduced to the functions with the most inclusive time.
import * as inspector from "node:inspector";
import { burst, pump } from "./driver";
import { layout, type Accounts } from "./flows";
import type { BenchRuntime } from "./runtime";

export interface Profile {
  /** Share of samples with a function of this package (dist/src) anywhere on the stack. */
  packageShare: number;
  hotspots: Hotspot[];
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
  return new Promise((resolve, reject) => session.post(method, (err, result) => (err ? reject(err) : resolve(result as T))));
}

/** Frames that are on every stack (the event loop, the bench's own driver) say nothing. */
const BORING = /^\((root|program|idle|garbage collector)\)$|^(runMicrotasks|processImmediate|processTicksAndRejections|runNextTicks|listOnTimeout|processTimers)$/;

export async function profileGetToken(rt: BenchRuntime, simUrl: string, account: Accounts, ms: number): Promise<Profile> {
  const set = layout({ contender: "get-token", prefix: "prof", tabs: 1, perTab: 1, simUrl, account });
  await rt.deploy(set);
  const targets = [rt.node(set.lines[0].first)];
  const valid = () => true;
  await burst(targets, 1, valid, 10_000);
  await pump({ targets, durationMs: 500, maxMessages: 5_000_000, window: 1_000, valid }); // warm-up
  const session = new inspector.Session();
  session.connect();
  try {
    await post(session, "Profiler.enable");
    await post(session, "Profiler.start");
    await pump({ targets, durationMs: ms, maxMessages: 5_000_000, window: 1_000, valid });
    const { profile } = await post<{ profile: { nodes: ProfileNode[]; samples: number[] } }>(session, "Profiler.stop");
    return hotspots(profile.nodes, profile.samples);
  } finally {
    session.disconnect();
  }
}

function hotspots(nodes: ProfileNode[], samples: number[]): Profile {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const hits = new Map<number, number>();
  let inPackage = 0;
  for (const id of samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const inclusive = new Map<string, { count: number; name: string; where: string }>();
  for (const [id, count] of hits) {
    const seen = new Set<string>();
    let ours = false;
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)!.callFrame;
      if (frame.url.includes("/dist/src/")) ours = true;
      const name = frame.functionName || "(anonymous)";
      if (BORING.test(name) || frame.url.includes("/bench/")) continue;
      const where = `${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
      const key = `${name} ${where}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = inclusive.get(key) ?? { count: 0, name, where };
      entry.count += count;
      inclusive.set(key, entry);
    }
    if (ours) inPackage += count;
  }
  const top = [...inclusive.values()]
    .sort((a, b) => b.count - a.count)
    .slice(0, 10)
    .map((e) => ({ share: e.count / samples.length, name: e.name, where: e.where }));
  return { packageShare: inPackage / samples.length, hotspots: top };
}

function shortUrl(url: string): string {
  const file = url.replace(/^file:\/\//, "");
  const modules = file.lastIndexOf("node_modules/");
  if (modules >= 0) return file.slice(modules + "node_modules/".length);
  const dist = file.lastIndexOf("/dist/");
  return dist >= 0 ? file.slice(dist + 1) : file || "(native)";
}
