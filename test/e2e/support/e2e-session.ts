// The frame of an end-to-end suite: the server its flows call (the simulator, or an authorization
// server) started first, the packed package installed into a fresh user directory of a real
// `node-red` process, a flow deployed, the editor opened in Chromium with its exchanges recorded;
// after a failed test a screenshot and the page's errors; after the suite all of it stopped and
// removed, last started first. Call inside a describe(): it registers the hooks.
import type { Page } from "playwright-core";
import { freePort } from "../../support/ports";
import { artifactDir, openEditor, reportFailure, skipWithoutBrowser, type Editor } from "./browser";
import { recordExchanges, type Exchange } from "./credentials-dialog";
import { NodeRedProcess, nodeRedVersion } from "./node-red-process";
import { packTarball } from "./package-tarball";
import { createUserDir, removeDir } from "./userdir";
import { login, USERS, type UserName } from "./users";

/** Packing builds the package first: minutes on a busy machine. */
const START_LIMIT_MS = 300_000;

export interface Closable {
  close(): Promise<void>;
}

/** What a suite's deploy step is given. */
export interface Started<S> {
  server: S;
  red: NodeRedProcess;
  /** The session user's Authorization header; empty without adminAuth. */
  headers: Record<string, string>;
}

export interface E2eSessionOptions<S extends Closable> {
  /** Starts the server the flows call, given the port Node-RED will listen on (a redirect URI names it). */
  server: (port: number) => Promise<S>;
  /** More settings.js properties (adminAuthSettings() for a login). */
  settings?: Record<string, unknown>;
  /** More environment variables of the node-red process. */
  env?: Record<string, string>;
  /** With adminAuth: the user who deploys and, in the editor, logs in. */
  user?: UserName;
  /** What runs once Node-RED has started, before the editor opens: usually red.deploy(flows, headers). */
  deploy?: (started: Started<S>) => Promise<void>;
  /** false: no browser, and the suite runs where Chromium is missing too. */
  editor?: boolean;
  /** A failed test's screenshot is named <prefix>-<first word of its title>. */
  failurePrefix?: string;
}

export interface E2eSession<S> {
  readonly server: S;
  readonly red: NodeRedProcess;
  readonly editor: Editor;
  readonly page: Page;
  /** Every request and answer of the editor's page since it opened. */
  readonly exchanges: Exchange[];
  /** Where screenshots go. */
  readonly shots: string;
}

export function e2eSession<S extends Closable>(options: E2eSessionOptions<S>): E2eSession<S> {
  const browser = options.editor !== false;
  let shots: string | undefined;
  let server: S | undefined;
  let userDir: string | undefined;
  let red: NodeRedProcess | undefined;
  let editor: Editor | undefined;
  let exchanges: Exchange[] = [];
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the ${what} starts in the suite's before hook`);
    return value;
  };

  before(async function () {
    this.timeout(START_LIMIT_MS);
    if (browser) {
      skipWithoutBrowser(this);
      shots = artifactDir(nodeRedVersion());
    }
    const port = await freePort();
    server = await options.server(port);
    userDir = await createUserDir(await packTarball(), { port, settings: options.settings });
    red = new NodeRedProcess(userDir, port, options.env);
    await red.start();
    const user = options.user;
    const headers: Record<string, string> = user ? { Authorization: `Bearer ${await login(red.url, user)}` } : {};
    await options.deploy?.({ server, red, headers });
    if (!browser) return;
    editor = await openEditor(red.url, user ? { login: { username: user, password: USERS[user] } } : {});
    exchanges = recordExchanges(editor.page);
  });

  afterEach(async function () {
    if (shots) await reportFailure(this.currentTest, editor, shots, options.failurePrefix);
  });

  after(async () => {
    await editor?.close();
    await red?.stop();
    removeDir(userDir);
    await server?.close();
  });

  return {
    get server() {
      return started(server, "server");
    },
    get red() {
      return started(red, "node-red process");
    },
    get editor() {
      return started(editor, "editor");
    },
    get page() {
      return started(editor, "editor").page;
    },
    get exchanges() {
      return exchanges;
    },
    get shots() {
      return started(shots, "screenshot folder");
    },
  };
}
