export * from './setup-guidance';
