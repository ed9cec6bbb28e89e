// What names an account in context and Redis, and the key that signs its shared entries. Both come
// from one slow, salted derivation of the credentials (scrypt, salted with the account's public
// id): what a context store or Redis holds is then no fast oracle for guessing the secret (each
// guess costs an scrypt), yet it changes whenever a credential changes. The MAC key never leaves
// the process: someone who can write to Redis but does not hold the credentials cannot sign.
import { createHash, createHmac, scryptSync } from "node:crypto";

export interface AccountKey {
  /** The adapter's public account id plus a fingerprint of the credentials. */
  name: string;
  /** Signs and checks the entries this account shares through Redis. */
  macKey: Buffer;
}

/** scrypt cost: 16 MiB and about 50-100 ms on one core, once per credentials (then remembered). */
const SCRYPT = { N: 2 ** 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const DOMAIN = "node-red-access-token/account/v2";

/** Derived keys by a hash of their inputs: a redeploy with unchanged credentials pays no scrypt. Process memory only. */
const derived = new Map<string, AccountKey>();
const MAX_REMEMBERED = 256;

export function deriveAccountKey(accountId: string, fields: ReadonlyArray<readonly [string, string]>): AccountKey {
  const secretInput = fields.map(([field, value]) => `${field.length}:${field}=${value.length}:${value}`).join("\n");
  const memo = createHash("sha256").update(`${accountId}\n${secretInput}`).digest("base64");
  const known = derived.get(memo);
  if (known) return known;
  const master = scryptSync(secretInput, `${DOMAIN}\n${accountId}`, 32, SCRYPT);
  const fingerprint = createHmac("sha256", master).update("account name").digest("hex").slice(0, 16);
  const key: AccountKey = {
    name: `${accountId} ${fingerprint}`,
    macKey: createHmac("sha256", master).update("shared entry mac").digest(),
  };
  if (derived.size >= MAX_REMEMBERED) derived.delete(derived.keys().next().value as string);
  derived.set(memo, key);
  return key;
}
