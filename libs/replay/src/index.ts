export * from './replay-args';
export * from './topic-reader';
export * from './event-replay';
