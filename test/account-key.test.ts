// The account key (account-key.ts): what names an account in context and Redis and signs its shared
// entries. Salted per account, so two token URLs with the same credentials share neither a
// fingerprint nor a MAC key; derived once per credentials, so a redeploy or a Test of a deployed
// node costs no scrypt. scrypt is counted on node:crypto itself (a spy that calls the real one).
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { deriveAccountKey } from "../src/account-key";

type Fields = ReadonlyArray<readonly [string, string]>;

describe("account key", () => {
  const original = crypto.scryptSync;
  let scrypts = 0;
  before(() => {
    crypto.scryptSync = (...args: Parameters<typeof original>) => {
      scrypts += 1;
      return original(...args);
    };
  });
  after(() => {
    crypto.scryptSync = original;
  });
  beforeEach(() => (scrypts = 0));

  // Each test its own accounts, new on every run (a mutation run repeats the tests in one process):
  // the module remembers what it derived for the whole process.
  const unique = (label: string) => `${label}-${crypto.randomUUID()}`;
  const fingerprint = (name: string) => name.slice(name.lastIndexOf(" ") + 1);

  it("is the documented derivation: scrypt salted with the account id, an HMAC each for the name and the MAC key", () => {
    const id = unique("oauth2 https://a.example/token client");
    const fields: Fields = [
      ["clientId", "client"],
      ["clientSecret", "s3cret"],
    ];
    const key = deriveAccountKey(id, fields);
    const master = original(
      "8:clientId=6:client\n12:clientSecret=6:s3cret",
      `node-red-access-token/account/v2\n${id}`,
      32,
      { N: 2 ** 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 },
    );
    const hmac = (label: string) => crypto.createHmac("sha256", master).update(label).digest();
    assert.equal(key.name, `${id} ${hmac("account name").toString("hex").slice(0, 16)}`);
    assert.match(fingerprint(key.name), /^[0-9a-f]{16}$/);
    assert.deepEqual(key.macKey, hmac("shared entry mac"));
    assert.ok(
      !key.macKey.toString("hex").includes(fingerprint(key.name)),
      "the public name tells nothing of the MAC key",
    );
  });

  it("salts with the account: two token URLs with the same credentials share neither fingerprint nor MAC key", () => {
    const fields: Fields = [["secret", "same"]];
    const a = deriveAccountKey(unique("oauth2 https://a.example/token"), fields);
    const b = deriveAccountKey(unique("oauth2 https://b.example/token"), fields);
    assert.notEqual(fingerprint(a.name), fingerprint(b.name));
    assert.notDeepEqual(a.macKey, b.macKey);
    assert.equal(scrypts, 2);
  });

  it("changes with every credential, and tells fields apart by their lengths", () => {
    const id = unique("custom https://c.example/token");
    const keys = [
      deriveAccountKey(id, [["secret", "one"]]),
      deriveAccountKey(id, [["secret", "two"]]),
      deriveAccountKey(id, [["secret", ""]]),
      deriveAccountKey(id, [["secreT", "one"]]),
      deriveAccountKey(id, [
        ["key", "a\n3:key=1:b"],
        ["secret", "one"],
      ]),
      deriveAccountKey(id, [
        ["key", "a"],
        ["key", "b"],
        ["secret", "one"],
      ]),
    ];
    assert.equal(new Set(keys.map((key) => key.name)).size, keys.length);
    assert.equal(new Set(keys.map((key) => key.macKey.toString("hex"))).size, keys.length);
  });

  it("derives once per account and credentials: the same inputs again cost no scrypt", () => {
    // A fresh copy of the module, as a new process has it: nothing remembered yet.
    const modulePath = require.resolve("../src/account-key");
    delete require.cache[modulePath];
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a second copy of the module is the point
    const fresh = (require(modulePath) as { deriveAccountKey: typeof deriveAccountKey }).deriveAccountKey;
    const a = unique("enos https://a.example");
    const b = unique("enos https://b.example");
    const fields: Fields = [["secret", "x"]];
    const first = fresh(a, fields);
    const other = fresh(b, fields);
    assert.equal(scrypts, 2);
    assert.deepEqual(fresh(a, fields), first);
    assert.deepEqual(fresh(b, fields), other);
    assert.deepEqual(fresh(a, [["secret", "x"]]), first, "equal inputs, not the same array");
    assert.equal(scrypts, 2, "remembered, each of them");
    fresh(a, [["secret", "y"]]);
    assert.equal(scrypts, 3, "edited credentials are derived anew");
  });
});
