// The incumbent, node-red-contrib-oauth2 (latest 6.x), installed from the npm registry into the
// git-ignored bench/scratch/ on every run, plus a probe that records what its token request looks
// like on the wire (so the report says what it sends, not what we assume it sends).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { burst } from "./driver";
import { oauth2Node, type Accounts } from "./flows";
import type { BenchRuntime } from "./runtime";

export const PACKAGE = "node-red-contrib-oauth2";
const SCRATCH = path.resolve(__dirname, "..", "..", "bench", "scratch");

export interface Installed {
  dir?: string;
  version?: string;
  /** Why the incumbent rows are missing, when they are. */
  problem?: string;
  installMs: number;
}

export function installIncumbent(): Installed {
  const started = Date.now();
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const result = spawnSync(
    npm,
    ["install", "--prefix", SCRATCH, `${PACKAGE}@6`, "--no-audit", "--no-fund", "--loglevel=error"],
    {
      encoding: "utf8",
      timeout: 150_000,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const dir = path.join(SCRATCH, "node_modules", PACKAGE);
  const installMs = Date.now() - started;
  const pkgFile = path.join(dir, "package.json");
  if (!fs.existsSync(pkgFile)) {
    const why = result.error?.message ?? result.stderr?.trim().split("\n").slice(-3).join(" ") ?? "unknown";
    return { problem: `npm install ${PACKAGE}@6 failed: ${why}`, installMs };
  }
  const version = (JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { version: string }).version;
  // An older copy may still be there when the registry could not be reached: say so, use it.
  const problem =
    result.status === 0
      ? undefined
      : `npm install failed (exit ${result.status}); using the copy already in bench/scratch`;
  return { dir, version, problem, installMs };
}

export interface WireRequest {
  method: string;
  contentType: string;
  body: string;
  authorization: string;
}

/** Deploys one incumbent node against a capture server on 127.0.0.1 and records its request. */
export async function probeIncumbent(rt: BenchRuntime, account: Accounts): Promise<WireRequest | undefined> {
  let seen: WireRequest | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen = {
        method: req.method ?? "",
        contentType: String(req.headers["content-type"] ?? ""),
        body: redact(Buffer.concat(chunks).toString("utf8"), account),
        authorization: describeAuth(req.headers.authorization, account),
      };
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ access_token: "probe", token_type: "Bearer", expires_in: 60 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  try {
    const { port } = server.address() as { port: number };
    await rt.deploy({
      flows: [
        { id: "probe-tab", type: "tab", label: "probe" },
        oauth2Node("probe", "probe-tab", `http://127.0.0.1:${port}/api/v2/tenant/token`, account, "probe-sink"),
        { id: "probe-sink", type: "bench-sink", z: "probe-tab", x: 1, y: 1, wires: [] },
      ],
      credentials: {},
    });
    await burst([rt.node("probe")], 1, () => true, 5_000);
    return seen;
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

function redact(text: string, account: Accounts): string {
  return text
    .split(account.clientSecret)
    .join("<secret>")
    .split(encodeURIComponent(account.clientSecret))
    .join("<secret>");
}

function describeAuth(header: string | undefined, account: Accounts): string {
  if (!header) return "none";
  const match = /^Basic\s+(.+)$/i.exec(header);
  if (!match) return header.split(" ")[0] + " <...>";
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const raw = `${account.clientId}:${account.clientSecret}`;
  const encoded = `${encodeURIComponent(account.clientId)}:${encodeURIComponent(account.clientSecret)}`;
  const form =
    decoded === raw && raw === encoded
      ? "client_id:client_secret"
      : decoded === raw
        ? "raw client_id:client_secret (not form-urlencoded)"
        : "other";
  return `Basic base64(${form})`;
}
