// The Node-RED admin HTTP API as the editor calls it (no adminAuth in the test settings), with a
// time limit on every request.
const REQUEST_LIMIT_MS = 15_000;

export interface Reply {
  status: number;
  text: string;
  json<T = any>(): T;
}

export async function request(
  baseUrl: string,
  method: string,
  urlPath: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(baseUrl + urlPath, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(REQUEST_LIMIT_MS),
  });
  const text = await response.text();
  return {
    status: response.status,
    text,
    json: () => {
      try {
        return JSON.parse(text);
      } catch {
        throw new Error(`${method} ${urlPath}: HTTP ${response.status}, not JSON: ${text.slice(0, 300)}`);
      }
    },
  };
}

export async function getJson<T = any>(
  baseUrl: string,
  urlPath: string,
  headers: Record<string, string> = {},
): Promise<T> {
  const reply = await request(baseUrl, "GET", urlPath, { headers });
  if (reply.status !== 200) throw new Error(`GET ${urlPath}: HTTP ${reply.status} ${reply.text.slice(0, 300)}`);
  return reply.json<T>();
}

/**
 * A full deploy, as the editor's Deploy button sends it (v1: the body is the array of nodes);
 * `headers`: a login's Authorization when adminAuth is on.
 */
export async function deploy(baseUrl: string, flows: unknown[], headers: Record<string, string> = {}): Promise<void> {
  const reply = await request(baseUrl, "POST", "/flows", {
    body: flows,
    headers: { ...headers, "Node-RED-API-Version": "v1", "Node-RED-Deployment-Type": "full" },
  });
  if (reply.status !== 204 && reply.status !== 200)
    throw new Error(`POST /flows: HTTP ${reply.status} ${reply.text.slice(0, 500)}`);
}

export interface NodeSet {
  id: string;
  name: string;
  module: string;
  version: string;
  types: string[];
  enabled: boolean;
  local: boolean;
  err?: unknown;
}

export function nodeSets(baseUrl: string): Promise<NodeSet[]> {
  return getJson<NodeSet[]>(baseUrl, "/nodes");
}
