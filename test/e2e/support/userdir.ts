// A fresh Node-RED user directory with the packed package installed the way the palette manager
// installs a module (npm install --save in the user directory, with the palette manager's flags),
// and a settings.js for an offline, loopback-only test instance.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { run, type Tarball } from "./package-tarball";

/** Fixed, so a test can decrypt or recognise it; never a vendor secret. */
export const CREDENTIAL_SECRET = "e2e-credential-secret-not-a-vendor-secret";

/** The palette manager's arguments (@node-red/registry lib/installer.js), same in Node-RED 4 and 5. */
const PALETTE_NPM_ARGS = [
  "--no-audit",
  "--no-update-notifier",
  "--no-fund",
  "--save",
  "--save-prefix=~",
  "--omit=dev",
  "--engine-strict",
];
const INSTALL_LIMIT_MS = 120_000;

export interface UserDirOptions {
  port: number;
  /** Extra settings.js properties (JSON-serialisable). */
  settings?: Record<string, unknown>;
}

export async function createUserDir(tarball: Tarball, options: UserDirOptions): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "access-token-userdir-"));
  // What Node-RED writes on first start; npm --save needs it to record the module as a user module.
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify(
      { name: "node-red-project", description: "A Node-RED Project", version: "0.0.1", private: true },
      null,
      2,
    ),
  );
  // --prefer-offline: undici is normally in the npm cache already, so no registry round trip.
  await run(
    "npm",
    ["install", ...PALETTE_NPM_ARGS, "--prefer-offline", "--loglevel=error", "--", tarball.file],
    dir,
    INSTALL_LIMIT_MS,
  );
  fs.writeFileSync(path.join(dir, "settings.js"), settingsJs(options));
  return dir;
}

export function settingsJs(options: UserDirOptions): string {
  const settings = {
    uiHost: "127.0.0.1",
    uiPort: options.port,
    flowFile: "flows.json",
    credentialSecret: CREDENTIAL_SECRET,
    // Nothing may call out: no telemetry, update checks, diagnostics, catalogue or npm installs.
    telemetry: { enabled: false, updateNotification: false },
    diagnostics: { enabled: false, ui: false },
    editorTheme: { tours: false, palette: { catalogues: [] } },
    externalModules: {
      autoInstall: false,
      palette: { allowInstall: false, allowUpload: false },
      modules: { allowInstall: false },
    },
    // "file" lets a test show that a token survives a restart without a new vendor request.
    contextStorage: { default: { module: "memory" }, file: { module: "localfilesystem" } },
    logging: { console: { level: "info", metrics: false, audit: false } },
    ...options.settings,
  };
  return `// Written by the e2e tests (test/e2e/support/userdir.ts).\nmodule.exports = ${JSON.stringify(settings, null, 2)};\n`;
}

/** Every regular file under dir, as absolute paths. */
export function allFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...allFiles(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

export function removeDir(dir: string | undefined): void {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
