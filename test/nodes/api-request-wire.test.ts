// What the api request node puts on the wire and takes off it, against a loopback server of the
// test's own that shows what it received (the token comes from the simulator): the message's
// headers beside the token, an answer that is not JSON, a token the vendor echoes masked in the
// error, many calls in flight on one node, and a deploy that ends the calls still waiting.
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { logged, simulatorSuite } from "../support/simulator-suite";
import { apiFlow, demoCredentials, nextMessage, nextMessages } from "../support/flows";
import { accessTokenNodes, CORE, coreNode, helper } from "../support/node-red";

const NODES = [accessTokenNodes, coreNode(CORE.catch)];

/** How the test server answers a request: status, content type and body. */
type Reply = (req: http.IncomingMessage) => { status: number; type: string; body: string } | "hang";

describe("api request node on the wire", function () {
  this.timeout(20_000);
  const suite = simulatorSuite();
  let server: http.Server;
  let url: string;
  let reply: Reply;
  /** Requests the server holds unanswered ("hang"), and those of them the client went away from. */
  let held: http.ServerResponse[] = [];
  /** The server's open connections. */
  const open = new Set<Socket>();
  let abandoned = 0;

  before(async () => {
    server = http.createServer((req, res) => {
      const answer = reply(req);
      if (answer === "hang") {
        held.push(res);
        res.on("close", () => {
          if (!res.writableEnded) abandoned++;
        });
        return;
      }
      // A long keep-alive: an idle connection the client keeps stays open until the client closes it.
      res.writeHead(answer.status, { "content-type": answer.type, "keep-alive": "timeout=600" }).end(answer.body);
    });
    server.keepAliveTimeout = 600_000;
    server.on("connection", (socket) => {
      open.add(socket);
      socket.once("close", () => open.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    held = [];
    abandoned = 0;
    reply = (req) => ({ status: 200, type: "application/json", body: JSON.stringify({ headers: req.headers }) });
  });

  const warnings = () => logged("warn");

  async function load(options: Record<string, unknown> = {}): Promise<void> {
    // The test's server is another origin than the vendor's: one of the credentials' API hosts.
    const flow = apiFlow("oneaccess", suite.sim.url, { url: `${url}/echo`, ...options }, { apiHosts: url });
    await helper.load(NODES, flow, {
      cfg: demoCredentials(suite.sim, "oneaccess"),
    });
  }

  async function call(msg: Record<string, unknown>, id = "out"): Promise<Record<string, any>> {
    const out = nextMessage(id);
    helper.getNode("api").receive(msg);
    return out;
  }

  it("sends the message's headers beside the token, replacing an Authorization the message brought", async () => {
    await load();
    const { payload } = await call({ headers: { "X-Trace": "t-1", authorization: "Bearer stale" } });
    const seen = payload.headers as Record<string, string>;
    assert.equal(seen["x-trace"], "t-1");
    assert.match(seen.authorization, /^Bearer [0-9a-f]{16,}$/);
    assert.notEqual(seen.authorization, "Bearer stale");
    assert.deepEqual(
      warnings().filter((line) => /accessTokenRequestMaxBytes/.test(line)),
      [],
      "no setting: nothing to warn of",
    );
  });

  it("an answer that is not JSON: its text as msg.payload and one warning naming the call; JSON answers none", async () => {
    await load();
    await call({});
    assert.deepEqual(
      warnings().filter((line) => /not JSON/.test(line)),
      [],
    );
    reply = () => ({ status: 200, type: "text/plain", body: "plain words" });
    const msg = await call({});
    assert.equal(msg.payload, "plain words");
    assert.deepEqual(
      warnings().filter((line) => /not JSON/.test(line)),
      ["GET /echo: the answer is not JSON; msg.payload is its text"],
    );
  });

  it("asked for a buffer or text, an answer that is not JSON is no surprise: no warning", async () => {
    reply = () => ({ status: 200, type: "application/octet-stream", body: "raw bytes" });
    for (const ret of ["bin", "txt"] as const) {
      await load({ ret });
      const msg = await call({});
      assert.equal(Buffer.isBuffer(msg.payload) ? msg.payload.toString("utf8") : msg.payload, "raw bytes", ret);
      assert.equal(Buffer.isBuffer(msg.payload), ret === "bin");
      assert.deepEqual(
        warnings().filter((line) => /not JSON/.test(line)),
        [],
        ret,
      );
      await helper.unload();
    }
  });

  it("a token the vendor echoes in its error text is masked in the error Catch gets", async () => {
    await load();
    reply = (req) => ({
      status: 400,
      type: "application/json",
      body: JSON.stringify({ error: "invalid_request", error_description: `bad token ${req.headers.authorization}` }),
    });
    const caught = await call({}, "caught");
    const token = suite.sim.issuedTokens().at(-1)!;
    assert.ok(!caught.error.message.includes(token), caught.error.message);
    assert.match(caught.error.message, /bad token Bearer \*\*\*/);
  });

  it("many calls in flight on one node: no listener-limit warning, all answered", async () => {
    await load();
    await call({}); // the token is held: the next calls go straight to the server
    const emitted: string[] = [];
    const onWarning = (warning: Error) => emitted.push(warning.name);
    process.on("warning", onWarning);
    try {
      reply = () => "hang";
      const answers = nextMessages("out", 25);
      for (let i = 0; i < 25; i++) helper.getNode("api").receive({});
      await waitFor(() => held.length === 25);
      for (const res of held) res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
      const messages = await answers;
      assert.ok(messages.every((msg) => msg.statusCode === 200 && msg.payload.ok === true));
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(emitted, []);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("a deploy closes the connections the node keeps open between calls", async () => {
    await load();
    await call({});
    assert.ok(open.size > 0, "the client keeps its connection");
    await helper.unload();
    await waitFor(() => open.size === 0);
  });

  it("a deploy ends the calls still waiting: the server sees them go, no message comes out", async () => {
    await load();
    await call({}); // the token is held: the next calls go straight to the server
    reply = () => "hang";
    let out = 0;
    helper.getNode("out").on("input", () => out++);
    helper.getNode("caught").on("input", () => out++);
    const api = helper.getNode("api");
    const said: string[] = [];
    for (const level of ["warn", "error"] as const) {
      const own = api[level].bind(api);
      api[level] = (message: unknown) => {
        said.push(`${level} ${message instanceof Error ? message.message : String(message)}`);
        own(message);
      };
    }
    for (let i = 0; i < 3; i++) api.receive({});
    await waitFor(() => held.length === 3);
    await helper.unload();
    await waitFor(() => abandoned === 3);
    // Ended by the node's own abort on the deploy: counted in one warning, none reported as an error.
    // (The runtime's log spy ends with the unload, so the node's own warn and error are watched.)
    await waitFor(() => said.length > 0);
    assert.deepEqual(said, ["warn 3 message(s) waiting for a token or an API call were ended by the redeploy or stop"]);
    assert.equal(out, 0);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  assert.ok(condition(), "the condition did not come true");
}
