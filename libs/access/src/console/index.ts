export * from './console-session';
export * from './setup-link';
