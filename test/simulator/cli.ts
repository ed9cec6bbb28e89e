// `node dist/test/simulator/cli.js [--port N] [--host H]`: the simulator as its own process, for
// the demo, benchmarks and multi-process tests (driven through the /__simulator/ control API).
import { ProviderSimulator } from "./index";

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  const eq = args.find((a) => a.startsWith(`${name}=`));
  return eq?.slice(name.length + 1);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const rawPort = option(args, "--port") ?? "0";
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`invalid --port ${rawPort}\n`);
    process.exit(2);
  }
  const sim = await ProviderSimulator.start({ port, host: option(args, "--host") ?? "127.0.0.1" });
  // Two lines a parent process can parse: the URL, then the demo accounts as JSON.
  process.stdout.write(`simulator listening on ${sim.url}\n`);
  process.stdout.write(`${JSON.stringify({ url: sim.url, accounts: sim.accounts })}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void sim.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`simulator failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
