export * from './entities';
export * from './migrations';
export * from './data-source';
export * from './tenants/secret-token';
export * from './tenants/tenant-directory';
export * from './users/user-store';
export * from './persistence.module';
export * from './outbox/outbox';
