export * from './kafka';
export * from './topic-admin';
export * from './backoff';
export * from './record';
export * from './ordered-consumer';
export * from './coalescing-producer';
export * from './request-reply';
export * from './messaging.module';
