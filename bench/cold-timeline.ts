// Where one cold message's time goes, without touching the code under test: timestamps from the
// diagnostics channels that undici (client side) and node:http (the simulator's server side) publish,
// taken while one message is measured. Both the package's requests and the bench's raw round trip
// go through undici, so the same marks exist for either and can be compared phase by phase.
import * as diagnostics from "node:diagnostics_channel";

/** The marks of one request, in ms since the message was injected (NaN: not seen). */
export interface Marks {
  /** undici created the request: everything before it is the caller's own work. */
  create: number;
  /** A new connection starts (absent when a pooled one was reused). */
  connectStart: number;
  connected: number;
  /** The request's headers are written to the socket. */
  sendHeaders: number;
  /** The simulator's handler starts and its response is finished. */
  serverStart: number;
  serverFinish: number;
  /** The response's headers, then its end, reached the client. */
  responseHeaders: number;
  responseEnd: number;
}

const CHANNELS: Array<[string, keyof Marks]> = [
  ["undici:request:create", "create"],
  ["undici:client:beforeConnect", "connectStart"],
  ["undici:client:connected", "connected"],
  ["undici:client:sendHeaders", "sendHeaders"],
  ["http.server.request.start", "serverStart"],
  ["http.server.response.finish", "serverFinish"],
  ["undici:request:headers", "responseHeaders"],
  ["undici:request:trailers", "responseEnd"],
];

/**
 * Records the first occurrence of each mark after start(); stop() unsubscribes. Only the first
 * request of a cold message is recorded: later ones (an API call after the token) have marks of
 * their own kind that the rows do not break down.
 */
export class Timeline {
  private t0 = 0;
  private marks = emptyMarks();
  private readonly listeners = CHANNELS.map(([name, mark]) => {
    const listener = () => {
      if (Number.isNaN(this.marks[mark])) this.marks[mark] = performance.now() - this.t0;
    };
    return { name, listener };
  });

  start(t0: number): void {
    this.t0 = t0;
    this.marks = emptyMarks();
    for (const { name, listener } of this.listeners) diagnostics.subscribe(name, listener);
  }

  stop(): Marks {
    for (const { name, listener } of this.listeners) diagnostics.unsubscribe(name, listener);
    return this.marks;
  }
}

function emptyMarks(): Marks {
  return {
    create: NaN,
    connectStart: NaN,
    connected: NaN,
    sendHeaders: NaN,
    serverStart: NaN,
    serverFinish: NaN,
    responseHeaders: NaN,
    responseEnd: NaN,
  };
}

/** The stretches between the marks, in order; they add up to the whole message. */
export const PHASES = ["before", "connect", "requestOut", "server", "responseIn", "after"] as const;
export type Phase = (typeof PHASES)[number];

/** A message's time cut at its marks (ms); NaN where a mark is missing (e.g. a reused connection). */
export function phasesOf(marks: Marks, totalMs: number): Record<Phase, number> {
  return {
    before: marks.create,
    connect: marks.connected - marks.create,
    requestOut: marks.serverStart - marks.connected,
    server: marks.serverFinish - marks.serverStart,
    responseIn: marks.responseEnd - marks.serverFinish,
    after: totalMs - marks.responseEnd,
  };
}
