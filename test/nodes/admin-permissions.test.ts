// The permissions the credentials nodes' admin routes ask Node-RED for, in process: the routes are
// registered on a recorder of RED.httpAdmin and RED.auth.needsPermission (our wiring, the routes'
// own handlers run as they are), and each request goes down the handler chain as Express sends it.
// Test needs flows.write and access-token.write, the state access-token.read; a logged-in user
// without one of them is refused (403) and never reaches the route. (test/e2e/admin-auth.test.ts
// does the same through a browser.) The sign-in's authorize route needs what Test needs; its callback
// needs none of Node-RED's, the single-use state issued by authorize stands for it.
import assert from "node:assert/strict";
import { ADMIN_ROOT, AUTHORIZE_PATH, CALLBACK_PATH, TEST_PERMISSIONS } from "../../src/admin-api";
import { registerAdminRoutes } from "../../src/nodes/admin-routes";
import { registerSignInRoutes } from "../../src/nodes/sign-in-routes";
import type { AdminRequest, AdminResponse, NodeAPI } from "../../src/nodes/node-red";

type Handler = (req: AdminRequest, res: AdminResponse, next: () => void) => void;
interface Route {
  method: "get" | "post";
  path: string;
  handlers: Handler[];
}

/** The permissions checked, in the order the checks ran. */
const checked: string[] = [];

/** The routes `register` makes (admin-routes.ts or sign-in-routes.ts), on the recorder. */
function recordRoutes(register: (RED: NodeAPI) => void = registerAdminRoutes): Route[] {
  const routes: Route[] = [];
  const RED = {
    _: (key: string) => key,
    settings: {},
    log: { info: () => undefined, warn: () => undefined },
    nodes: { getNode: () => null, getCredentials: () => undefined },
    httpAdmin: {
      get: (path: string, ...handlers: Handler[]) => routes.push({ method: "get", path, handlers }),
      post: (path: string, ...handlers: Handler[]) => routes.push({ method: "post", path, handlers }),
    },
    auth: {
      needsPermission(permission: string): Handler {
        // As Node-RED's: next() when the user holds it, else 401 (which our routes answer as 403).
        return (req, res, next) => {
          checked.push(permission);
          const user = (req as { user?: { permissions: string[] } }).user;
          if (user?.permissions.includes(permission)) next();
          else res.status(401).json({ message: "Unauthorized" });
        };
      },
    },
  };
  register(RED as unknown as NodeAPI);
  return routes;
}

/** Send a request down a route's handler chain; the status and body it ends with. */
async function send(route: Route, permissions: string[], params: Record<string, string> = {}) {
  const req = { params, body: {}, user: { permissions } } as AdminRequest;
  return new Promise<{ status: number; body: unknown }>((resolve) => {
    let status = 200;
    const res: AdminResponse = {
      status(code) {
        status = code;
        return res;
      },
      json: (body) => resolve({ status, body }),
    };
    const run = (index: number) => route.handlers[index]!(req, res, () => run(index + 1));
    run(0);
  });
}

describe("admin routes' permissions", () => {
  const routes = recordRoutes();
  const route = (method: Route["method"], path: string) => {
    const found = routes.filter((r) => r.method === method && r.path === path);
    assert.equal(found.length, 1, `${method} ${path}`);
    return found[0]!;
  };
  const test = () => route("post", `${ADMIN_ROOT}/test`);
  const state = () => route("get", `${ADMIN_ROOT}/:id/state`);
  const ALL = ["flows.write", "flows.read", "access-token.write", "access-token.read"];
  /** The permissions a route checks, in order, for a user who holds every one (so that every check runs). */
  const asked = async (r: Route, params: Record<string, string> = {}) => {
    checked.length = 0;
    await send(r, ALL, params);
    return [...checked];
  };

  it("registers the two routes and nothing else", () => {
    assert.deepEqual(routes.map((r) => `${r.method} ${r.path}`).sort(), [
      `get ${ADMIN_ROOT}/:id/state`,
      `post ${ADMIN_ROOT}/test`,
    ]);
  });

  it("Test asks for flows.write and access-token.write; the state for access-token.read", async () => {
    assert.deepEqual(await asked(test()), ["flows.write", "access-token.write"]);
    assert.deepEqual(await asked(state(), { id: "n1" }), ["access-token.read"]);
  });

  it("a logged-in user without one of the permissions is refused, and never reaches the route", async () => {
    for (const permissions of [[], ["access-token.write"], ["flows.write"], ["access-token.read", "flows.read"]])
      assert.equal((await send(test(), permissions)).status, 403, permissions.join(" "));
    for (const permissions of [[], ["access-token.write", "flows.write"], ["flows.read"]])
      assert.equal((await send(state(), permissions, { id: "n1" })).status, 403, permissions.join(" "));
  });

  it("a user with them reaches it (here: no deployed node)", async () => {
    const tested = await send(test(), ["flows.write", "access-token.write"]);
    assert.equal(tested.status, 200);
    assert.equal((tested.body as { ok: boolean }).ok, false);
    const read = await send(state(), ["access-token.read"], { id: "n1" });
    assert.equal(read.status, 404, "reached the route, which found no such node");
  });
});

describe("sign-in routes' permissions", () => {
  /** A GET down the chain as a browser sends it: the status it ends with. */
  function browse(route: Route, permissions: string[], query: Record<string, string>): Promise<number> {
    const req = {
      params: {},
      query,
      headers: { host: "127.0.0.1:1880" },
      originalUrl: route.path,
      user: { permissions },
    };
    return new Promise((resolve) => {
      let status = 200;
      const res = {
        status(code: number) {
          status = code;
          return res;
        },
        set: () => res,
        json: () => resolve(status),
        send: () => resolve(status),
        redirect: (code: number) => resolve(code),
      };
      const run = (index: number) =>
        route.handlers[index]!(req as AdminRequest, res as unknown as AdminResponse, () => run(index + 1));
      run(0);
    });
  }

  const routes = recordRoutes(registerSignInRoutes);
  const route = (path: string) => routes.find((r) => r.method === "get" && r.path === path)!;

  it("registers authorize and callback, both GET (a browser's navigation)", () => {
    assert.deepEqual(routes.map((r) => `${r.method} ${r.path}`).sort(), [
      `get ${AUTHORIZE_PATH}`,
      `get ${CALLBACK_PATH}`,
    ]);
  });

  it("authorize asks for the Test route's permissions; a user without one is refused and never reaches it", async () => {
    checked.length = 0;
    assert.equal(await browse(route(AUTHORIZE_PATH), ["flows.write", "access-token.write"], { id: "n1" }), 404);
    assert.deepEqual(checked, [...TEST_PERMISSIONS]);
    for (const permissions of [[], ["access-token.write"], ["flows.write"], ["access-token.read", "flows.read"]])
      assert.equal(await browse(route(AUTHORIZE_PATH), permissions, { id: "n1" }), 403, permissions.join(" "));
  });

  it("the callback asks no permission of Node-RED's (the vendor's redirect has no login): its state is what lets it in", async () => {
    checked.length = 0;
    assert.equal(await browse(route(CALLBACK_PATH), [], { state: "never-issued", code: "c" }), 400);
    assert.deepEqual(checked, []);
  });
});
