// A refresh token kept at rest (src/refresh-token-store.ts), on a real file system: encrypted (no
// trace of the token or the name in the file), owner-only, written atomically, read back only by
// the same node, account and credential secret; anything else is no sign-in and a report, never a throw.
import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import sinon from "sinon";
import { FILE_FORMAT, REFRESH_TOKEN_DIR, RefreshTokenFile, refreshTokenFile } from "../src/refresh-token-store";

describe("refresh token store", () => {
  let userDir: string;
  let reports: string[];
  let details: (string | undefined)[];
  const store = (options: Partial<{ nodeId: string; secret: string; account: string }> = {}) =>
    new RefreshTokenFile({
      userDir,
      nodeId: "abc123",
      secret: "credential-secret",
      account: "oauth2 https://auth/token c1",
      report: (problem, detail) => {
        reports.push(problem);
        details.push(detail);
      },
      ...options,
    });
  /** The files under the user directory this process holds open. */
  const openFiles = async () => {
    const links = await Promise.all(
      (await fs.readdir("/proc/self/fd")).map((fd) => fs.readlink(`/proc/self/fd/${fd}`).catch(() => "")),
    );
    return links.filter((link) => link.startsWith(userDir));
  };
  const entry = { refreshToken: "rt-secret-value.with~chars", accountName: "Ann Lee" };

  beforeEach(async () => {
    userDir = await fs.mkdtemp(path.join(os.tmpdir(), "refresh-store-"));
    reports = [];
    details = [];
  });
  afterEach(async () => {
    sinon.restore();
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
    assert.ok(text.endsWith("}\n"), "a text file: one line, ending in a newline");
    assert.deepEqual(await openFiles(), [], "no file left open");
    assert.deepEqual(reports, []);
  });

  it("reads a file written by version 1 (same credential secret, node and account): an upgrade keeps the sign-in", async () => {
    // Written by the first release of the store: the key derivation and the file format are a promise to the disk.
    const version1 = {
      format: "node-red-access-token refresh token",
      version: 1,
      iv: "a1QO9L4oq8MsMKeJ",
      tag: "_2Fcb2Io3uySr85HhBwa9A",
      data: "jEFs22XZOYbEa_e9Oo4nL_l7o22hQ_cHV7UZqp6P0Vx0X9SZSpTyZ5BrsyhmqDHfO2TdjPMuGDWBkSp_eFgGmMLm_DCN8WeJYRDSxcs3pkg6zu5q0ap_nTqmYluqnWx5e6ZJcTwKWEA",
    };
    const file = refreshTokenFile(userDir, "abc123");
    await fs.mkdir(path.dirname(file));
    await fs.writeFile(file, JSON.stringify(version1));
    assert.deepEqual(await store().load(), { refreshToken: "rt-kept-by-version-1", accountName: "Ann Lee" });
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
    for (const id of ["../../etc/passwd", "node1/../../../etc/passwd", "a".repeat(65)]) {
      const odd = refreshTokenFile(userDir, id);
      assert.equal(path.dirname(odd), path.join(userDir, REFRESH_TOKEN_DIR), id);
      assert.match(path.basename(odd), /^[0-9a-f]{64}\.json$/, id);
    }
    assert.equal(path.basename(refreshTokenFile(userDir, "a".repeat(64))), `${"a".repeat(64)}.json`);
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

  it("is no sign-in when the file is not exactly what is written: another format, junk in a field, a long name", async () => {
    const file = refreshTokenFile(userDir, "abc123");
    await store().save(entry);
    const json = JSON.parse(await fs.readFile(file, "utf8"));
    for (const bad of [
      { ...json, format: "another format" },
      { ...json, iv: `${json.iv.slice(0, 4)}!${json.iv.slice(4)}` },
      { ...json, data: `${json.data} ` },
    ]) {
      await fs.writeFile(file, JSON.stringify(bad));
      assert.equal(await store().load(), undefined, JSON.stringify(bad));
    }
    assert.deepEqual(reports, ["unreadable", "unreadable", "unreadable"]);
    // An account name is at most 200 characters (a file that says more is not ours).
    await store().save({ refreshToken: "rt", accountName: "n".repeat(200) });
    assert.deepEqual(await store().load(), { refreshToken: "rt", accountName: "n".repeat(200) });
    await store().save({ refreshToken: "rt", accountName: "n".repeat(201) });
    assert.equal(await store().load(), undefined);
    assert.equal(reports.length, 4);
  });

  it("a file larger than 64 KiB is not read, even one that would decrypt", async () => {
    const file = refreshTokenFile(userDir, "abc123");
    await store().save(entry);
    const text = (await fs.readFile(file, "utf8")).trim();
    // JSON allows blanks: the same content, padded to the limit and one byte past it.
    await fs.writeFile(file, text.padEnd(64 * 1024));
    assert.deepEqual(await store().load(), entry);
    assert.deepEqual(reports, []);
    await fs.writeFile(file, text.padEnd(64 * 1024 + 1));
    assert.equal(await store().load(), undefined);
    assert.deepEqual(reports, ["unreadable"]);
  });

  it("a file it cannot read (here a folder in its place) is reported, and removing it too", async () => {
    await fs.mkdir(refreshTokenFile(userDir, "abc123"), { recursive: true });
    assert.equal(await store().load(), undefined);
    await store().remove();
    assert.deepEqual(reports, ["unreadable", "write-failed"]);
    assert.equal(details[1], "ERR_FS_EISDIR", "the error's code, no path");
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

  it("a write that fails at the rename is reported, and leaves no temporary file", async () => {
    const file = refreshTokenFile(userDir, "abc123");
    await fs.mkdir(path.join(file, "in-the-way"), { recursive: true });
    await store().save(entry);
    assert.deepEqual(reports, ["write-failed"]);
    assert.deepEqual(await fs.readdir(path.dirname(file)), ["abc123.json"]);
    assert.deepEqual(await openFiles(), []);
  });

  it("a failure without an error code is reported as error (no message: it could hold a path)", async () => {
    sinon.stub(fs, "rename").rejects(new Error(`cannot rename ${userDir}`));
    await store().save(entry);
    assert.deepEqual(reports, ["write-failed"]);
    assert.deepEqual(details, ["error"]);
  });
});
