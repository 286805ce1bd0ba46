export * from './apply-result';
export * from './command-dispatcher';
export * from './users/apply-user-commands';
export * from './groups/apply-group-command';
