/** A single updating progress line on stderr (only redrawn on a terminal, else printed every few seconds). */
export class Progress {
  private readonly started = Date.now();
  private last = 0;
  private readonly tty = process.stderr.isTTY === true;

  constructor(private readonly render: (elapsedMs: number) => string) {}

  tick(): void {
    const now = Date.now();
    if (now - this.last < (this.tty ? 250 : 5000)) return;
    this.last = now;
    this.write();
  }

  done(): void {
    this.write();
    if (this.tty) process.stderr.write('\n');
  }

  private write(): void {
    const line = this.render(Date.now() - this.started);
    process.stderr.write(this.tty ? `\r\x1b[K${line}` : `${line}\n`);
  }
}
