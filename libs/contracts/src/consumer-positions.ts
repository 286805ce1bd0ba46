/** A consumer's position is written at most once a second when it moves, every few seconds when it stays (its last read time): not a write per read. */
export const POSITION_MOVED_WRITE_MS = 1_000;
export const POSITION_SAME_WRITE_MS = 5_000;

/** Where events API consumers' positions are kept (the ProductCredentials store). */
export interface ConsumerPositionRecords {
  writePosition(credentialId: string, position: string): Promise<void>;
}

/**
 * The events API's record of where each consumer (product credential) reads: `read` on every request, the store
 * written at the cadence above. One per process (the positions written are remembered here).
 */
export class ConsumerPositions {
  private readonly written = new Map<string, { position: string; at: number }>();
  private readonly latest = new Map<string, string>();
  private readonly trailing = new Map<string, NodeJS.Timeout>();

  constructor(private readonly records: ConsumerPositionRecords) {}

  /** Records that the consumer read after `position` (it has consumed that far), at most once a second (see above). */
  async read(credentialId: string, position: string): Promise<void> {
    const last = this.written.get(credentialId);
    if (last && Date.now() - last.at < (last.position === position ? POSITION_SAME_WRITE_MS : POSITION_MOVED_WRITE_MS)) {
      // a moved position skipped now is written when the second is over, so a consumer that stops shows where it stopped
      if (last.position !== position && !this.trailing.has(credentialId)) {
        this.trailing.set(credentialId, setTimeout(() => this.flushTrailing(credentialId), POSITION_MOVED_WRITE_MS).unref());
      }
      this.latest.set(credentialId, position);
      return;
    }
    await this.write(credentialId, position);
  }

  private flushTrailing(credentialId: string): void {
    this.trailing.delete(credentialId);
    const position = this.latest.get(credentialId);
    if (position !== undefined && position !== this.written.get(credentialId)?.position)
      void this.write(credentialId, position).catch((e: Error) =>
        // the consumer's next read writes its position again; a consumer that has stopped shows its previous one
        process.emitWarning(`events consumer ${credentialId}: position not recorded: ${e.message}`),
      );
  }

  private async write(credentialId: string, position: string): Promise<void> {
    this.latest.delete(credentialId);
    this.written.set(credentialId, { position, at: Date.now() });
    await this.records.writePosition(credentialId, position);
  }
}
