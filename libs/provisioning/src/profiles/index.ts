export * from './profile-settings';
export * from './user-profile-rules';
export * from './profiled-user-decision';
export * from './profile-schemas';
