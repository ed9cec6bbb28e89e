// oauth2-credentials with the password grant (RFC 6749 4.3) in a real Node-RED runtime against the
// simulator's strict RFC 6749 server: the user's token, which its API accepts; the refresh token
// used (and rotated) before a new password grant; a wrong password or a missing one at Catch; and
// neither the password nor a refresh token in a message, the context, a status or a log line.
import assert from "node:assert/strict";
import { delay, nextMessage, nextMessages, statuses } from "../support/flows";
import { genericFlow } from "../support/generic-flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";
import { shapesOf } from "../support/secret-shapes";
import { caughtError, tokenMessage } from "../support/get-token-answers";
import { simulatorSuite } from "../support/simulator-suite";

const NODES = [accessTokenNodes, coreNode(CORE.catch), coreNode(CORE.httpRequest)];

describe("oauth2 password grant against the simulator", function () {
  this.timeout(20_000);
  const wrongPassword = "Wr0ng pass&word%";
  const ownSecret = "own client secret+/=";
  const ownPassword = "own user pass&word";
  afterEach(() => {
    for (const id of ["get", "cfg"]) if (helper.getNode(id)) suite.remember(statuses(id));
  });
  // The simulator's refresh tokens (rt-...) may be in no message either: a token a message may
  // carry (msg.token) is an access token. The username is masked as a secret too.
  const suite = simulatorSuite({
    forbidden: () => [
      ...suite.sim.issuedTokens().filter((token) => token.startsWith("rt-")),
      ...[wrongPassword, ownSecret, ownPassword].flatMap(shapesOf),
      ...shapesOf(suite.sim.accounts.oauth2.username!),
    ],
  });

  const config = (extra: Record<string, unknown> = {}) => ({
    tokenUrl: `${suite.sim.url}/oauth2/token`,
    grant: "password",
    ...extra,
  });
  const keys = (extra: Record<string, string> = {}) => {
    const { clientId, clientSecret, username, password } = suite.sim.accounts.oauth2;
    return { clientId, clientSecret, username: username!, password: password!, ...extra };
  };

  it("gets the user's token, which the API accepts", async () => {
    await helper.load(NODES, genericFlow("oauth2", config({ clientAuth: "body" })), { cfg: keys() });
    const api = nextMessage("api");
    const out = nextMessages("out", 1);
    helper.getNode("get").receive({ url: `${suite.sim.url}/oauth2/api/things` });
    const [msg] = await out;
    suite.remember(msg, { tokenAllowed: true });
    assert.equal(msg.headers.Authorization, `Bearer ${msg.token}`);
    assert.equal((await api).statusCode, 200);
    assert.equal(suite.sim.count("oauth2.token"), 1);
  });

  it("refreshes with the refresh token, the rotated one next time, not the password; none in the context", async () => {
    // A client of its own, whose user's password the test changes (the demo account stays as it is).
    const client = { clientId: "password-client", clientSecret: ownSecret, username: "ann", password: ownPassword };
    suite.sim.addAccount("oauth2", client);
    await helper.load(NODES, genericFlow("oauth2", config()), { cfg: client });
    const first = await tokenMessage(suite);
    // From now on a password grant fails: only a refresh token can give the next tokens.
    suite.sim.addAccount("oauth2", { ...client, password: "changed" });
    const second = await tokenMessage(suite, { refreshToken: true });
    // The first refresh token works once: this one can only come from the one the refresh answered.
    const third = await tokenMessage(suite, { refreshToken: true });
    assert.equal(new Set([first.token, second.token, third.token]).size, 3);
    assert.equal(suite.sim.count("oauth2.token"), 3);
    const stored = JSON.stringify(helper.getNode("get").context().flow.get("accessToken"));
    assert.match(stored, new RegExp(third.token));
    for (const refresh of suite.sim.issuedTokens().filter((value) => value.startsWith("rt-")))
      assert.ok(!stored.includes(refresh), "no refresh token in context");
  });

  it("a refused refresh token falls back to the password grant", async () => {
    await helper.load(NODES, genericFlow("oauth2", config()), { cfg: keys() });
    await tokenMessage(suite);
    // The server forgets every token it issued: the refresh is invalid_grant.
    suite.sim.reset();
    await tokenMessage(suite, { refreshToken: true });
    assert.equal(suite.sim.count("oauth2.token"), 2, "the refused refresh, then the password grant");
  });

  it("a wrong password reaches Catch as invalid_grant with the password grant's hint", async () => {
    await helper.load(NODES, genericFlow("oauth2", config()), { cfg: keys({ password: wrongPassword }) });
    const error = await caughtError(suite);
    assert.equal(error.code, "invalid_grant");
    assert.match(error.message, /username or password was not accepted/);
  });

  it("a missing password is a config error on deploy, naming the field; no request is sent", async () => {
    await helper.load(NODES, genericFlow("oauth2", config()), { cfg: keys({ password: "" }) });
    assert.equal(statuses("get").at(-1)?.fill, "red", "shown on deploy");
    const error = await caughtError(suite);
    assert.match(error.message, /has no Password/);
    await delay(20);
    assert.equal(suite.sim.count("oauth2.token"), 0);
  });

  it("client credentials needs no username or password, and sends none", async () => {
    await helper.load(NODES, genericFlow("oauth2", config({ grant: "client_credentials" })), {
      cfg: { clientId: keys().clientId, clientSecret: keys().clientSecret },
    });
    await tokenMessage(suite);
    assert.equal(suite.sim.count("oauth2.token"), 1);
  });
});
