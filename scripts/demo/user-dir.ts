// The demo's Node-RED user directory (.userdir/, git-ignored): settings.js for a local, offline
// demo, and this package installed the way Node-RED finds user-installed packages, a
// node_modules/ entry (a symlink to the repository), so its examples show under Import > Examples.
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./examples";

const PACKAGE = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { name: string };

export interface UserDirOptions {
  dir: string;
  port: number;
}

/** Marks a directory as the demo's: every start replaces its flows and settings.js. */
const MARKER = ".access-token-demo";

/** Creates or refreshes the user directory; returns the settings file to start Node-RED with. */
export function prepareUserDir({ dir, port }: UserDirOptions): string {
  // USER_DIR=~/.node-red by mistake must not cost someone their flows.
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0 && !fs.existsSync(path.join(dir, MARKER))) {
    throw new Error(
      `${dir} is not empty and not a demo user directory (no ${MARKER} in it): the demo replaces the flows there, so pick another USER_DIR`,
    );
  }
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, MARKER),
    "Node-RED user directory of `npm start`: flows and settings.js are rewritten on every start.\n",
  );
  linkPackage(dir);
  const settingsFile = path.join(dir, "settings.js");
  fs.writeFileSync(settingsFile, settingsJs(dir, port, credentialSecret(dir)));
  return settingsFile;
}

function linkPackage(dir: string): void {
  const link = path.join(dir, "node_modules", ...PACKAGE.name.split("/"));
  fs.mkdirSync(path.dirname(link), { recursive: true });
  const current = fs.lstatSync(link, { throwIfNoEntry: false });
  if (current?.isSymbolicLink() && path.resolve(path.dirname(link), fs.readlinkSync(link)) === REPO_ROOT) return;
  if (current && !current.isSymbolicLink())
    throw new Error(`${link} is an installed copy of the package: remove it to run the demo here`);
  if (current) fs.unlinkSync(link);
  fs.symlinkSync(REPO_ROOT, link, "dir");
}

/** Kept across runs so flows_cred.json written by an earlier run still decrypts. */
function credentialSecret(dir: string): string {
  const file = path.join(dir, ".credential-secret");
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("hex");
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

function settingsJs(dir: string, port: number, secret: string): string {
  const settings = {
    uiHost: "127.0.0.1",
    uiPort: port,
    userDir: dir,
    flowFile: "flows.json",
    credentialSecret: secret,
    // Nothing here may reach the network: no telemetry, update check, palette catalogue or install.
    telemetry: { enabled: false, updateNotification: false },
    diagnostics: { enabled: false, ui: false },
    externalModules: { autoInstall: false, palette: { allowInstall: false, allowUpload: false, allowUpdate: false } },
    editorTheme: { tours: false, palette: { catalogues: [] } },
    contextStorage: { default: { module: "memory" }, file: { module: "localfilesystem" } },
    logging: { console: { level: "info", metrics: false, audit: false } },
  };
  return [
    "// Written by `npm start` (scripts/start.ts) on every start: edits here are overwritten.",
    `module.exports = ${JSON.stringify(settings, null, 4)};`,
    "",
  ].join("\n");
}
