export * from './config';
export * from './config.module';
export * from './health.controller';
export * from './bootstrap';
