export * from './metrics';
export * from './readiness';
export * from './logging';
export * from './observability.module';
export * from './tracing';
export * from './request-log';
