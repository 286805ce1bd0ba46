export * from './user-resource-type';
export * from './user-state';
export * from './user-commands';
export * from './render';
