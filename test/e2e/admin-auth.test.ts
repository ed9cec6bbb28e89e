// Who may use the credentials nodes' admin routes, in a real `node-red` process with adminAuth: the
// Test button's route runs the dialog's expressions and ${NAME} on the server, so it needs
// flows.write as well as access-token.write (a read-only user, one with access-token.write alone
// and no login at all are refused, and read no environment variable through it); the state route
// needs read permission; neither answer holds a token or a secret.
import assert from "node:assert/strict";
import { ADMIN_ROOT } from "../../src/admin-api";
import { ProviderSimulator } from "../simulator";
import { request } from "./support/admin";
import { configId, credentialsFor, installFlow, secretsOf } from "./support/e2e-flows";
import { e2eSession } from "./support/e2e-session";
import { nodeRedVersion } from "./support/node-red-process";
import { adminAuthSettings, login, type UserName } from "./support/users";

/** An environment variable of the node-red process that only a user who may deploy flows may read. */
const HIDDEN = { name: "ACCESS_TOKEN_E2E_HIDDEN", value: "hidden-value-5f3a9c" };

describe(`e2e: the admin routes behind adminAuth, Node-RED ${nodeRedVersion()}`, function () {
  this.timeout(120_000);
  const session = e2eSession({
    server: () => ProviderSimulator.start(),
    settings: adminAuthSettings(),
    env: { [HIDDEN.name]: HIDDEN.value },
    user: "admin",
    deploy: ({ server, red, headers }) => red.deploy(installFlow(server.url, server.accounts), headers),
    editor: false,
  });
  const sim = () => session.server;
  const tokens: Record<string, string> = {};

  const as = (user?: UserName): Record<string, string> => (user ? { Authorization: `Bearer ${tokens[user]}` } : {});

  before(async () => {
    for (const user of ["admin", "viewer", "tester"] as const) tokens[user] = await login(session.red.url, user);
  });

  const dialogBody = () => ({
    type: "oneaccess-credentials",
    baseUrl: sim().url,
    timeout: 10,
    credentials: credentialsFor(sim().accounts, "oneaccess"),
  });

  it("refuses the Test route without a login, to a read-only user and to one without flows.write", async () => {
    // Without a login: 401 (log in); a logged-in user without the permission: 403.
    for (const [user, status] of [
      [undefined, 401],
      ["viewer", 403],
      ["tester", 403],
    ] as const) {
      const reply = await request(session.red.url, "POST", `${ADMIN_ROOT}/test`, {
        body: dialogBody(),
        headers: as(user),
      });
      assert.equal(reply.status, status, `${user ?? "anonymous"}: HTTP ${reply.status}`);
    }
    assert.equal(sim().count("oneaccess.token"), 0, "a refused test asks the vendor nothing");
  });

  it("${NAME} and $env() in a dialog: refused to a user who may not deploy flows, before anything is read", async () => {
    const body = {
      type: "custom-token-credentials",
      tokenUrl: `${sim().url}/openapi/v3/auth/token`,
      token: "body.access_token",
      ok: "false",
      errorCode: '"X"',
      credentials: { key: "k", secret: "s" },
    };
    for (const errorMessage of [`$env("${HIDDEN.name}")`, `"\${${HIDDEN.name}}"`]) {
      const refused = await request(session.red.url, "POST", `${ADMIN_ROOT}/test`, {
        body: { ...body, errorMessage },
        headers: as("tester"),
      });
      assert.equal(refused.status, 403, `${errorMessage}: HTTP ${refused.status}`);
      assert.ok(!refused.text.includes(HIDDEN.value), errorMessage);
      assert.equal(sim().count("homemade.token"), 0, "a refused test asks the vendor nothing");
      // Whoever may deploy flows may read the environment anyway (a change node's $env): answered.
      const answered = await request(session.red.url, "POST", `${ADMIN_ROOT}/test`, {
        body: { ...body, errorMessage },
        headers: as("admin"),
      });
      assert.equal(answered.status, 200, answered.text);
      assert.equal(answered.json().code, "X", answered.text);
      assert.ok(answered.text.includes(HIDDEN.value), `${errorMessage}: the expression ran`);
      sim().reset();
    }
  });

  it("lets a user with write permission test, and answers without a token or a secret", async () => {
    const reply = await request(session.red.url, "POST", `${ADMIN_ROOT}/test`, {
      body: dialogBody(),
      headers: as("admin"),
    });
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.json().ok, true);
    for (const secret of [...secretsOf(sim().accounts), ...sim().issuedTokens()])
      assert.ok(!reply.text.includes(secret));
  });

  it("the state route needs a login; a read-only user may see it, and it holds no token", async () => {
    const id = configId("oneaccess");
    const anonymous = await request(session.red.url, "GET", `${ADMIN_ROOT}/${id}/state`);
    assert.equal(anonymous.status, 401, `HTTP ${anonymous.status}`);
    for (const user of ["viewer", "tester"] as const) {
      const reply = await request(session.red.url, "GET", `${ADMIN_ROOT}/${id}/state`, { headers: as(user) });
      assert.equal(reply.status, 200, reply.text);
      assert.equal(reply.json().provider, "oneaccess");
      for (const token of sim().issuedTokens()) assert.ok(!reply.text.includes(token));
    }
  });
});
