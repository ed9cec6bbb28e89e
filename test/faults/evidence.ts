// Everything the runtime showed during a fault test — log lines, statuses, messages sent on or
// caught, errors, the exported flows — kept as text so a test can prove afterwards that no secret
// (nor OrionStar's token URL, whose query holds the secret) ever appeared in any of it.
import assert from "node:assert/strict";
import { helper } from "../support/node-red";

const replacer = (_key: string, value: unknown) =>
  value instanceof Error ? { ...value, name: value.name, message: value.message, stack: value.stack } : value;

export class Evidence {
  private readonly items: string[] = [];

  get size(): number {
    return this.items.length;
  }

  add(value: unknown): void {
    this.items.push(typeof value === "string" ? value : JSON.stringify(value, replacer));
  }

  /**
   * Take what the helper's spies saw since the last load: every runtime log call, every status and
   * send of any node, and the exported flows. Call before helper.unload() (which drops the spies).
   */
  captureRuntime(): void {
    const calls = (spy: unknown) =>
      (spy as { getCalls?: () => Array<{ args: unknown[] }> } | undefined)?.getCalls?.() ?? [];
    for (const call of calls(helper.log())) this.add(call.args);
    const proto = (helper as unknown as { _NodePrototype?: Record<string, unknown> })._NodePrototype;
    for (const method of ["status", "send", "error", "warn", "log"]) {
      for (const call of calls(proto?.[method])) this.add(call.args);
    }
    try {
      this.add(helper._redNodes.getFlows());
    } catch {
      // No flows loaded (the runtime is stopped): nothing to export.
    }
  }

  /** Fail naming the first forbidden text found, with the surrounding evidence (from item `from` on). */
  assertFree(forbidden: readonly string[], from = 0): void {
    const text = this.items.slice(from).join("\n");
    for (const secret of forbidden) {
      if (!secret) continue;
      const at = text.indexOf(secret);
      assert.ok(at < 0, `"${secret}" leaked: ...${text.slice(Math.max(0, at - 200), at + 100)}...`);
    }
  }
}

/** What must never appear, beyond the configured secrets themselves. */
export const FORBIDDEN_PATTERNS = ["secret=", "client_secret", "/v1/auth/get_token?", 'appSecret":'];
