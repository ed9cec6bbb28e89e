// The few Node-RED admin API calls the demo makes, as the editor makes them: wait until the
// runtime answers, deploy flows with their credentials (Node-RED encrypts those into
// flows_cred.json with the settings' credentialSecret), press an inject button.
import type { FlowNode } from "./examples";

export interface AdminApi {
  url: string;
}

/** Polls GET /settings until Node-RED answers (it listens only once its runtime has started). */
export async function waitForAdmin(api: AdminApi, timeoutMs: number, alive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  while (Date.now() < deadline) {
    if (!alive()) throw new Error("Node-RED exited while starting");
    try {
      const res = await fetch(`${api.url}/settings`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.ok) return;
      lastError = `HTTP ${res.status}`;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Node-RED did not answer on ${api.url} within ${timeoutMs / 1000} s (${lastError})`);
}

/** A full deploy. `credentials` (node id -> fields) travel inline on their nodes, as from the editor. */
export async function deployFlows(
  api: AdminApi,
  flows: FlowNode[],
  credentials: Record<string, Record<string, string>>,
): Promise<void> {
  const body = flows.map((node) => (credentials[node.id] ? { ...node, credentials: credentials[node.id] } : node));
  const res = await fetch(`${api.url}/flows`, {
    method: "POST",
    headers: { "content-type": "application/json", "node-red-api-version": "v2", "node-red-deployment-type": "full" },
    body: JSON.stringify({ flows: body }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`deploying the example flows failed: HTTP ${res.status} ${text.slice(0, 300)}`);
}

/** What the editor's inject button does. */
export async function pressInject(api: AdminApi, id: string): Promise<void> {
  const res = await fetch(`${api.url}/inject/${encodeURIComponent(id)}`, {
    method: "POST",
    signal: AbortSignal.timeout(5_000),
  });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`inject ${id}: HTTP ${res.status}`);
}
