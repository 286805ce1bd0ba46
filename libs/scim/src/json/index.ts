export * from './json-safety';
