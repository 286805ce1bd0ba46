/**
 * How a polling loop sleeps: until its poll interval passes or someone kicks it (new work was just committed). A kick
 * while the loop is busy is kept, so the next sleep returns at once and no work waits a whole interval.
 */
export class WakeUp {
  private kicked = false;
  private wake?: () => void;

  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  /** Resolves after `ms`, or at once if kicked since the last sleep, or when kicked meanwhile. */
  sleep(ms: number): Promise<void> {
    if (this.kicked) {
      this.kicked = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        this.kicked = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
