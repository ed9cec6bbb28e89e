// Who may use the credentials nodes' admin routes, in a real `node-red` process with adminAuth: the
// Test button's route needs write permission (a read-only editor user is refused, as is no login at
// all), the state route read permission; neither answer holds a token or a secret.
import assert from "node:assert/strict";
import { ADMIN_ROOT } from "../../src/admin-api";
import { ProviderSimulator } from "../simulator";
import { freePort } from "../support/ports";
import { deploy, request } from "./support/admin";
import { configId, credentialsFor, installFlow, secretsOf } from "./support/e2e-flows";
import { NodeRedProcess, nodeRedVersion } from "./support/node-red-process";
import { packTarball } from "./support/package-tarball";
import { createUserDir, removeDir } from "./support/userdir";
import { adminAuthSettings, login, type UserName } from "./support/users";

describe(`e2e: the admin routes behind adminAuth, Node-RED ${nodeRedVersion()}`, function () {
  this.timeout(120_000);
  let sim: ProviderSimulator;
  let userDir: string | undefined;
  let red: NodeRedProcess | undefined;
  const tokens: Record<string, string> = {};

  const as = (user?: UserName): Record<string, string> => (user ? { Authorization: `Bearer ${tokens[user]}` } : {});

  before(async () => {
    sim = await ProviderSimulator.start();
    const port = await freePort();
    userDir = await createUserDir(await packTarball(), { port, settings: adminAuthSettings() });
    red = new NodeRedProcess(userDir, port);
    await red.start();
    tokens.admin = await login(red.url, "admin");
    tokens.viewer = await login(red.url, "viewer");
    const mark = red.lines.length;
    await deploy(red.url, installFlow(sim.url, sim.accounts), as("admin"));
    await red.waitForLine(/\] Started flows/, mark);
  });

  after(async () => {
    await red?.stop();
    removeDir(userDir);
    await sim?.close();
  });

  const dialogBody = () => ({
    type: "oneaccess-credentials",
    baseUrl: sim.url,
    timeout: 10,
    credentials: credentialsFor(sim.accounts, "oneaccess"),
  });

  it("refuses the Test route without a login and to a read-only user", async () => {
    for (const user of [undefined, "viewer"] as const) {
      const reply = await request(red!.url, "POST", `${ADMIN_ROOT}/test`, { body: dialogBody(), headers: as(user) });
      assert.ok(reply.status === 401 || reply.status === 403, `${user ?? "anonymous"}: HTTP ${reply.status}`);
    }
    assert.equal(sim.count("oneaccess.token"), 0, "a refused test asks the vendor nothing");
  });

  it("lets a user with write permission test, and answers without a token or a secret", async () => {
    const reply = await request(red!.url, "POST", `${ADMIN_ROOT}/test`, { body: dialogBody(), headers: as("admin") });
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.json().ok, true);
    for (const secret of [...secretsOf(sim.accounts), ...sim.issuedTokens()]) assert.ok(!reply.text.includes(secret));
  });

  it("the state route needs a login; a read-only user may see it, and it holds no token", async () => {
    const id = configId("oneaccess");
    const anonymous = await request(red!.url, "GET", `${ADMIN_ROOT}/${id}/state`);
    assert.ok(anonymous.status === 401 || anonymous.status === 403, `HTTP ${anonymous.status}`);
    const reply = await request(red!.url, "GET", `${ADMIN_ROOT}/${id}/state`, { headers: as("viewer") });
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.json().provider, "oneaccess");
    for (const token of sim.issuedTokens()) assert.ok(!reply.text.includes(token));
  });
});
