import { ProviderSimulator } from "../test/simulator";
import { rateLimitRows } from "./rate-limit";
import { rateRows } from "./rate-report";
async function main() {
  const sim = await ProviderSimulator.start();
  const options = { limit: 50, calls: Number(process.env.CALLS ?? 300), processes: 2 };
  const rows = await rateLimitRows(sim, options, (t) => console.error(t));
  console.log(JSON.stringify(rows, null, 1));
  console.log(rateRows(rows, options).join("\n"));
  await sim.close();
}
main().catch((e) => { console.error(e); process.exit(1); });
