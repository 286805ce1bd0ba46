export * from './user-state';
export * from './user-decision';
export * from './user-deletion-events';
export * from './user-command-work';
export * from './user-render';
export * from './user-events';
