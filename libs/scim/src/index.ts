export * from './errors';
export * from './schema/attribute';
export * from './schema/user.schema';
