export * from './errors';
export * from './schema/attribute';
export * from './schema/user.schema';
export * from './schema/schema-registration';
export * from './schema/discovery';
export * from './filter';
export * from './resource';
export * from './patch';
