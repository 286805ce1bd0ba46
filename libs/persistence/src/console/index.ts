export * from './console-sessions';
export * from './setup-links';
export * from './console-insights';
