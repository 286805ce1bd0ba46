export * from './user-state';
export * from './user-commands';
export * from './render';
