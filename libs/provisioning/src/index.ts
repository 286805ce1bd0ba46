export * from './user-state';
export * from './user-commands';
export * from './render';
export * from './group-state';
export * from './group-commands';
export * from './group-render';
export * from './profiles';
export * from './import/user-import';
