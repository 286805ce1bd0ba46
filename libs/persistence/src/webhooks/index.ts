export * from './webhook-subscriptions';
export * from './delivery-queue';
export * from './delivery-log';
export * from './dead-letters';
export * from './event-replays';
