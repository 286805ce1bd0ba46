export * from './types';
export { normalizeResource } from './normalize';
export { projectResource } from './project';
export type { ProjectionOptions } from './project';
export { assertImmutableUnchanged } from './mutability';
export { deepEqual, isPlainObject, ownValue } from './values';
