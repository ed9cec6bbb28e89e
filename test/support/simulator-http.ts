// The frame of a suite that speaks to the simulator over real HTTP on 127.0.0.1, with no Node-RED:
// the simulator started once, reset after each test, and a `call` that reads any answer.
import { ProviderSimulator } from "../simulator";

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON, undefined when the body is not JSON (tests read arbitrary vendor JSON). */
  body: any;
}

export interface SimulatorHttp {
  readonly sim: ProviderSimulator;
  /** The simulator's host as a client sends it in Host ("127.0.0.1:port"). */
  readonly host: string;
  call(pathAndQuery: string, init?: RequestInit): Promise<Answer>;
}

/** Call inside a describe(): registers the hooks, and returns the simulator and a caller. */
export function simulatorHttp(): SimulatorHttp {
  let started: ProviderSimulator | undefined;
  before(async () => {
    started = await ProviderSimulator.start();
  });
  after(() => started?.close());
  afterEach(() => started?.reset());
  const sim = (): ProviderSimulator => {
    if (!started) throw new Error("the simulator starts in the suite's before hook");
    return started;
  };
  return {
    get sim() {
      return sim();
    },
    get host() {
      return new URL(sim().url).host;
    },
    async call(pathAndQuery, init = {}) {
      const response = await fetch(sim().url + pathAndQuery, init);
      const text = await response.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      return { status: response.status, headers: response.headers, text, body };
    },
  };
}
