export * from './errors';
export * from './schema/attribute';
export * from './schema/user.schema';
export * from './filter';
export * from './resource';
export * from './patch';
