/**
 * The webhook delivery queue (tables webhook_deliveries and webhook_lanes).
 *
 * Every (subscription, ordering key) is a lane; only its head is ever sent: the pending delivery with the lowest
 * `sequence` (a user's events from both change-event topics share one sequence), then the oldest. A lane is
 * leased to one notifier instance at a time (`FOR UPDATE SKIP LOCKED`, lease timeout), so one user's events
 * reach one subscription one at a time and in order, while every other lane flows.
 * Locks are always taken lane first, and lanes in key order, so queueing and finishing never deadlock.
 * Each job has its own store: DeliveryIntake queues, DeliveryLeases leases lanes and reads their heads,
 * DeliverySettlement records what a turn did, DeliveryPurge applies the retention.
 */
export * from './types';
export { laneKey, wakeLanes } from './lanes';
export * from './intake';
export * from './leases';
export * from './settlement';
export * from './purge';
