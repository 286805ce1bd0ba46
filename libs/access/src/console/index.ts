export * from './console-session';
export * from './setup-link';
export * from './connection-check';
