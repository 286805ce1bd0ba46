export * from './tenant-events';
export * from './product-credentials';
export * from './directory-state';
export * from './tenant-events-listener';
