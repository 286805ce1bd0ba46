export * from './profile-settings';
export * from './user-profile-rules';
