export * from './topics';
export * from './commands';
export * from './events';
export * from './group-events';
export * from './dead-letters';
export * from './schemas';
export * from './limits';
export * from './ids';
