export * from './group-state';
export * from './group-decision';
export * from './group-document';
export * from './member-steps';
export * from './membership-diff';
export * from './group-change';
export * from './membership-events';
export * from './group-render';
