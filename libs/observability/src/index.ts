export * from './metrics';
export * from './readiness';
export * from './logging';
export * from './tracing';
export * from './request-log';
