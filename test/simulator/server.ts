// The HTTP server: routes a request to its endpoint, counts it, applies a pending fault, then lets
// the vendor's handler answer. Tracks sockets so close() can end keep-alive and slow responses.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { CONTROL_PREFIX, handleControl, type ControlTarget } from "./control";
import { enos } from "./enos";
import { serveFault, type FaultTable } from "./faults";
import { json, readBody, writeReply } from "./http-util";
import { homemade } from "./homemade";
import { oauth2 } from "./oauth2";
import { oneaccess } from "./oneaccess";
import { orionstar } from "./orionstar";
import type { ProviderModule } from "./provider";
import type { SimState } from "./state";
import type { Endpoint, ServerId, SimRequest } from "./types";

const MODULES: Record<ServerId, ProviderModule> = { orionstar, enos, oneaccess, oauth2, homemade };

/** path -> endpoint and the one method it accepts. */
const ROUTES: Record<string, { endpoint: Endpoint; method: string }> = {
  "/v1/auth/get_token": { endpoint: "orionstar.token", method: "GET" },
  "/v1/robot/robot_list": { endpoint: "orionstar.robot_list", method: "GET" },
  "/v1/robot/robot_info": { endpoint: "orionstar.robot_info", method: "GET" },
  "/v1/myip": { endpoint: "orionstar.myip", method: "GET" },
  "/apim-token-service/v2.0/token/get": { endpoint: "enos.token", method: "POST" },
  "/apim-token-service/v2.0/token/refresh": { endpoint: "enos.refresh", method: "POST" },
  "/asset-service/v2.1/assets": { endpoint: "enos.asset", method: "GET" },
  "/api/v2/tenant/token": { endpoint: "oneaccess.token", method: "POST" },
  "/api/v2/tenant/users": { endpoint: "oneaccess.users", method: "GET" },
  "/oauth2/token": { endpoint: "oauth2.token", method: "POST" },
  "/oauth2/api/things": { endpoint: "oauth2.api", method: "GET" },
  "/openapi/v3/auth/token": { endpoint: "homemade.token", method: "POST" },
  "/openapi/v3/devices": { endpoint: "homemade.api", method: "GET" },
};

const DEVICES_PATH = "/connect-service/v2.1/devices";

export function route(url: URL, method: string): { endpoint: Endpoint; method: string } | undefined {
  if (url.pathname === DEVICES_PATH) {
    // One path, two calls told apart by `action` (or, without it, by the method).
    const action = url.searchParams.get("action");
    const search = action === "search" || (action !== "get" && method === "POST");
    return search ? { endpoint: "enos.device_search", method: "POST" } : { endpoint: "enos.device_get", method: "GET" };
  }
  return Object.hasOwn(ROUTES, url.pathname) ? ROUTES[url.pathname] : undefined;
}

function remoteAddress(req: IncomingMessage): string {
  const addr = req.socket.remoteAddress ?? "127.0.0.1";
  return addr.startsWith("::ffff:") ? addr.slice(7) : addr;
}

export class SimServer {
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly server: Server,
    private readonly sockets: Set<Socket>,
    readonly port: number,
  ) {}

  static async listen(
    port: number,
    host: string,
    state: SimState,
    faults: FaultTable,
    control: () => ControlTarget,
  ): Promise<SimServer> {
    const server = createServer((req, res) => {
      handle(req, res, state, faults, control).catch((e: unknown) => {
        if (!res.headersSent) writeReply(res, json(500, { error: "simulator_error", message: String(e) }));
        else res.destroy();
      });
    });
    // Tracked from the first connection on, so close() can destroy every one of them.
    const sockets = new Set<Socket>();
    server.on("connection", (socket: Socket) => {
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("simulator: no TCP address");
    return new SimServer(server, sockets, address.port);
  }

  /** Stops listening and destroys every open socket (keep-alive, slow, streaming) at once. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
      this.server.closeAllConnections();
    });
    return this.closing;
  }
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  state: SimState,
  faults: FaultTable,
  control: () => ControlTarget,
): Promise<void> {
  const method = req.method ?? "GET";
  const url = new URL(req.url ?? "/", "http://simulator.invalid");
  const isControl = url.pathname.startsWith(CONTROL_PREFIX);
  const target = isControl ? undefined : route(url, method);
  // Counted before anything can go wrong, so a faulted or refused request still shows up.
  if (target) state.countRequest(target.endpoint);
  const body = await readBody(req);
  if (!body.ok) {
    if (body.tooLarge)
      writeReply(
        res,
        json(413, { error: "payload_too_large", message: "request body exceeds 1 MiB" }, { connection: "close" }),
      );
    return;
  }
  if (isControl) return writeReply(res, handleControl(control(), method, url.pathname, body.body));
  if (!target) {
    // Path only: the query may hold a secret (OrionStar's get_token).
    return writeReply(
      res,
      json(404, { error: "not_found", message: `no simulated endpoint at ${method} ${url.pathname}` }),
    );
  }
  const provider = target.endpoint.split(".")[0] as ServerId;
  const module = MODULES[provider];
  const simReq: SimRequest = {
    method,
    url,
    headers: req.headers,
    body: body.body,
    endpoint: target.endpoint,
    remoteAddress: remoteAddress(req),
  };
  const fault = faults.take(target.endpoint);
  if (fault && (await serveFault(fault, { res, req: simReq, state, provider, module })) === "done") return;
  if (res.destroyed) return;
  if (method !== target.method) {
    return writeReply(
      res,
      json(
        405,
        { error: "method_not_allowed", message: `${method} not allowed; use ${target.method}` },
        { allow: target.method },
      ),
    );
  }
  writeReply(res, module.handle(state, simReq));
}
