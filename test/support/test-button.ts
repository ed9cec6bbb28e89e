// The credentials dialog's Test button as the editor presses it: POST <admin root>/test with what
// the dialog holds. Every answer is a 200 whose JSON says ok or not; its text is kept for sweeps.
import { ADMIN_ROOT } from "../../src/admin-api";
import { helper } from "./node-red";

export async function pressTest(dialog: object): Promise<{ answer: Record<string, any>; text: string }> {
  const res = await helper.request().post(`${ADMIN_ROOT}/test`).send(dialog).expect(200);
  return { answer: res.body, text: res.text };
}
