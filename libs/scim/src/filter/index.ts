export * from './ast';
export {
  parseFilter,
  parsePatchPath,
  formatFilter,
  formatPatchPath,
  formatAttribute,
  formatValue,
  isValidAttributeName,
  MAX_FILTER_LENGTH,
  MAX_FILTER_DEPTH,
} from './parser';
export { matchesFilter, compileMatcher, matchesValueFilter } from './matcher';
export type { MatchOptions } from './matcher';
export { compileFilterToSql, escapeLike } from './sql';
export { checkValueFilterAttribute, nullTestsPresence } from './semantics';
export type { SqlColumn, SqlFilterTarget, SqlFilter } from './sql';
export { parseSort, compileSortToSql, compareSortKeys, sortKeyValue } from './sort';
export type { SortSpec, SortOrder, SortKeyKind, SqlSort } from './sort';
export { toBoolean } from './semantics';
