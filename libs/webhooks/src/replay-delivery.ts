import { createHash } from 'node:crypto';

/** Header on a replayed delivery (not signed: the signed `webhook-id` carries the same fact through its prefix). */
export const REPLAY_HEADER = 'webhook-replay';
const PREFIX = 'replay_';

/**
 * The delivery id (and webhook-id) of an event re-delivered by `scimctl replay events`: distinct from the event id,
 * so the queue does not take it for the original delivery, and the same for one replay key, so an interrupted
 * replay re-run with the same key queues nothing twice. No "." (it is part of the signed content's separator).
 */
export function replayDeliveryId(replayKey: string, eventId: string): string {
  return `${PREFIX}${replayKey}_${eventId}`;
}

export function isReplayDelivery(deliveryId: string): boolean {
  return deliveryId.startsWith(PREFIX);
}

/** The default replay key: a digest of what the replay covers, so the same replay run twice is one replay. */
export function replayKeyOf(parts: (string | undefined)[]): string {
  return createHash('sha256')
    .update(parts.map((p) => p ?? '').join('|'))
    .digest('hex')
    .slice(0, 12);
}
