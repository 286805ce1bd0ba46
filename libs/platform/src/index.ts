export * from './bootstrap';
export { connectionDrain } from './connection-drain';
export * from './observability.module';
export * from './runtime';
