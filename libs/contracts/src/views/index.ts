/**
 * The JSON shapes the admin API, the console's session and setup API and scimctl answer with: defined once, used by
 * the code that builds them and by the console (which imports this folder type-only, so nothing here may import
 * beyond it but other pure type modules; the only values are the lists that unions derive from).
 */
export * from './tenants';
export * from './users';
export * from './groups';
export * from './audit';
export * from './request-log';
export * from './webhooks';
export * from './parked';
export * from './product-credentials';
export * from './console';
export * from './setup';
