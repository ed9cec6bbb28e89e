// The HTTP server: routes a request to its endpoint, counts it, applies a pending fault, then lets
// the vendor's handler answer. Tracks sockets so close() can end keep-alive and slow responses.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { CONTROL_PREFIX, handleControl, type ControlTarget } from "./control";
import { enos } from "./enos";
import { serveFault, type FaultTable } from "./faults";
import { json, readBody, writeReply } from "./http-util";
import { aliyunIot } from "./aliyun-iot";
import { ezviz } from "./ezviz";
import { hikvisionArtemis } from "./hikvision-artemis";
import { homemade } from "./homemade";
import { huaweiIam } from "./huawei-iam";
import { oauth2 } from "./oauth2";
import { oneaccess } from "./oneaccess";
import { orionstar } from "./orionstar";
import { thingsboard } from "./thingsboard";
import { tuya } from "./tuya";
import type { ProviderModule } from "./provider";
import type { SimState } from "./state";
import type { Endpoint, ServerId, SimRequest } from "./types";

const MODULES: Record<ServerId, ProviderModule> = {
  orionstar,
  enos,
  oneaccess,
  oauth2,
  homemade,
  tuya,
  "huawei-iam": huaweiIam,
  thingsboard,
  ezviz,
  "hikvision-artemis": hikvisionArtemis,
  "aliyun-iot": aliyunIot,
};

/** Where a request goes, and the methods it accepts: "any" when the vendor answers a wrong method itself. */
export interface Route {
  endpoint: Endpoint;
  methods: readonly string[] | "any";
}

const GET = ["GET"];
const POST = ["POST"];

/** path -> route. */
const ROUTES: Record<string, Route> = {
  "/v1/auth/get_token": { endpoint: "orionstar.token", methods: GET },
  "/v1/robot/robot_list": { endpoint: "orionstar.robot_list", methods: GET },
  "/v1/robot/robot_info": { endpoint: "orionstar.robot_info", methods: GET },
  "/v1/myip": { endpoint: "orionstar.myip", methods: GET },
  "/apim-token-service/v2.0/token/get": { endpoint: "enos.token", methods: POST },
  "/apim-token-service/v2.0/token/refresh": { endpoint: "enos.refresh", methods: POST },
  "/asset-service/v2.1/assets": { endpoint: "enos.asset", methods: GET },
  "/api/v2/tenant/token": { endpoint: "oneaccess.token", methods: POST },
  "/api/v2/tenant/users": { endpoint: "oneaccess.users", methods: GET },
  "/oauth2/token": { endpoint: "oauth2.token", methods: POST },
  "/oauth2/authorize": { endpoint: "oauth2.authorize", methods: ["GET", "POST"] },
  "/oauth2/api/things": { endpoint: "oauth2.api", methods: GET },
  "/openapi/v3/auth/token": { endpoint: "homemade.token", methods: POST },
  "/openapi/v3/devices": { endpoint: "homemade.api", methods: GET },
  // Tuya answers a wrong method on its token paths with its own code.
  "/v1.0/token": { endpoint: "tuya.token", methods: "any" },
  "/v2.0/devices": { endpoint: "tuya.devices", methods: GET },
  "/v3/auth/tokens": { endpoint: "huawei-iam.token", methods: POST },
  "/api/auth/login": { endpoint: "thingsboard.token", methods: POST },
  // ThingsBoard answers a wrong method on its refresh path with its own 401.
  "/api/auth/token": { endpoint: "thingsboard.refresh", methods: "any" },
  "/api/tenant/devices": { endpoint: "thingsboard.devices", methods: GET },
  "/api/lapp/token/get": { endpoint: "ezviz.token", methods: POST },
  "/api/lapp/device/list": { endpoint: "ezviz.device_list", methods: POST },
  "/artemis/api/resource/v1/cameras": { endpoint: "hikvision-artemis.cameras", methods: POST },
  // Alibaba's RPC style: parameters in the query (GET) or a form body (POST).
  "/": { endpoint: "aliyun-iot.api", methods: ["GET", "POST"] },
};

/** Paths with a variable segment: Tuya's refresh token, Huawei's project id. */
const PATTERN_ROUTES: ReadonlyArray<{ pattern: RegExp; route: Route }> = [
  { pattern: /^\/v1\.0\/token\/[^/]+$/, route: { endpoint: "tuya.refresh", methods: "any" } },
  { pattern: /^\/v5\/iot\/[^/]+\/devices$/, route: { endpoint: "huawei-iam.devices", methods: GET } },
];

const DEVICES_PATH = "/connect-service/v2.1/devices";

export function route(url: URL, method: string): Route | undefined {
  if (url.pathname === DEVICES_PATH) {
    // One path, two calls told apart by `action` (or, without it, by the method).
    const action = url.searchParams.get("action");
    const search = action === "search" || (action !== "get" && method === "POST");
    return search ? { endpoint: "enos.device_search", methods: POST } : { endpoint: "enos.device_get", methods: GET };
  }
  if (Object.hasOwn(ROUTES, url.pathname)) return ROUTES[url.pathname];
  return PATTERN_ROUTES.find(({ pattern }) => pattern.test(url.pathname))?.route;
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
  const paced = state.pacing.answer(state, simReq);
  if (paced) return writeReply(res, paced);
  const fault = faults.take(target.endpoint);
  if (fault && (await serveFault(fault, { res, req: simReq, state, provider, module })) === "done") return;
  if (res.destroyed) return;
  if (target.methods !== "any" && !target.methods.includes(method)) {
    const allowed = target.methods.join(", ");
    return writeReply(
      res,
      json(405, { error: "method_not_allowed", message: `${method} not allowed; use ${allowed}` }, { allow: allowed }),
    );
  }
  writeReply(res, module.handle(state, simReq));
}
