// Ends the bench when it runs past its time, so that a hang anywhere cannot keep this shared
// machine busy. A phase with a time budget of its own (the cold rows) extends it as it ends.
export class Watchdog {
  private readonly started = Date.now();
  private timer: NodeJS.Timeout;

  constructor(private limitMs: number) {
    this.timer = this.arm();
  }

  /** The time a phase with its own budget took: the other phases keep all of theirs. */
  extend(ms: number): void {
    clearTimeout(this.timer);
    this.limitMs += ms;
    this.timer = this.arm();
  }

  private arm(): NodeJS.Timeout {
    const timer = setTimeout(
      () => {
        process.stderr.write(`bench: still running after ${Math.round(this.limitMs / 1000)} s; giving up\n`);
        process.exit(2);
      },
      this.limitMs - (Date.now() - this.started),
    );
    timer.unref();
    return timer;
  }
}
