export * from './signature';
export * from './secret-box';
export * from './delivery-policy';
export * from './event-filter';
export * from './deliverable-event';
export * from './replay-delivery';
export * from './subscription-settings';
