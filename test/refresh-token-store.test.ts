// A refresh token kept at rest (src/refresh-token-store.ts), on a real file system: encrypted (no
// trace of the token or the name in the file), owner-only, written atomically, read back only by
// the same node, account and credential secret; anything else is no sign-in and a report, never a throw.
import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FILE_FORMAT, REFRESH_TOKEN_DIR, RefreshTokenFile, refreshTokenFile } from "../src/refresh-token-store";

describe("refresh token store", () => {
  let userDir: string;
  let reports: string[];
  const store = (options: Partial<{ nodeId: string; secret: string; account: string }> = {}) =>
    new RefreshTokenFile({
      userDir,
      nodeId: "abc123",
      secret: "credential-secret",
      account: "oauth2 https://auth/token c1",
      report: (problem) => reports.push(problem),
      ...options,
    });
  const entry = { refreshToken: "rt-secret-value.with~chars", accountName: "Ann Lee" };

  beforeEach(async () => {
    userDir = await fs.mkdtemp(path.join(os.tmpdir(), "refresh-store-"));
    reports = [];
  });
  afterEach(async () => {
    await fs.rm(userDir, { recursive: true, force: true });
  });

  it("writes one encrypted file per node, owner-only, and reads it back", async () => {
    await store().save(entry);
    const file = refreshTokenFile(userDir, "abc123");
    assert.equal(file, path.join(userDir, REFRESH_TOKEN_DIR, "abc123.json"));
    const text = await fs.readFile(file, "utf8");
    for (const plain of ["rt-secret-value", "Ann Lee", "oauth2 https://auth"]) assert.ok(!text.includes(plain), plain);
    const json = JSON.parse(text);
    assert.deepEqual(Object.keys(json).sort(), ["data", "format", "iv", "tag", "version"]);
    assert.equal(json.format, FILE_FORMAT);
    assert.equal((await fs.stat(file)).mode & 0o777, 0o600);
    assert.equal((await fs.stat(path.dirname(file))).mode & 0o777, 0o700);
    assert.deepEqual(await store().load(), entry);
    assert.deepEqual(await fs.readdir(path.dirname(file)), ["abc123.json"], "no temporary file left");
    assert.deepEqual(reports, []);
  });

  it("replaces the file on each save (a rotated token), and removes it", async () => {
    await store().save(entry);
    await store().save({ refreshToken: "rotated" });
    assert.deepEqual(await store().load(), { refreshToken: "rotated" });
    await store().remove();
    assert.equal(await store().load(), undefined);
    await store().remove();
    assert.deepEqual(reports, [], "a missing file is no sign-in, not a problem");
  });

  it("names a file by the node's id, or by its hash when the id is no plain name", () => {
    const odd = refreshTokenFile(userDir, "../../etc/passwd");
    assert.equal(path.dirname(odd), path.join(userDir, REFRESH_TOKEN_DIR));
    assert.match(path.basename(odd), /^[0-9a-f]{64}\.json$/);
  });

  it("is no sign-in with another credential secret, node, or a tampered file", async () => {
    await store().save(entry);
    assert.equal(await store({ secret: "another" }).load(), undefined);
    const file = refreshTokenFile(userDir, "abc123");
    // Another node's file copied over this one's: bound to its node.
    await store({ nodeId: "other" }).save(entry);
    await fs.copyFile(refreshTokenFile(userDir, "other"), file);
    assert.equal(await store().load(), undefined);
    await store().save(entry);
    const json = JSON.parse(await fs.readFile(file, "utf8"));
    const data = Buffer.from(json.data, "base64url");
    data[0] ^= 1;
    await fs.writeFile(file, JSON.stringify({ ...json, data: data.toString("base64url") }));
    assert.equal(await store().load(), undefined);
    for (const bad of ["", "null", "[]", "{", JSON.stringify({ ...json, version: 2 }), "x".repeat(70_000)]) {
      await fs.writeFile(file, bad);
      assert.equal(await store().load(), undefined, bad.slice(0, 20));
    }
    assert.deepEqual(new Set(reports), new Set(["unreadable"]));
    assert.equal(reports.length, 9);
  });

  it("is no sign-in for other settings of the account (another token URL, client or scope)", async () => {
    await store().save(entry);
    assert.equal(await store({ account: "oauth2 https://auth/token c2" }).load(), undefined);
    assert.deepEqual(reports, ["other-account"]);
  });

  it("reports a write that fails, without throwing", async () => {
    await fs.writeFile(path.join(userDir, REFRESH_TOKEN_DIR), "a file where the folder should be");
    await store().save(entry);
    assert.deepEqual(reports, ["write-failed"]);
  });
});
