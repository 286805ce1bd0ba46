import { plainToInstance, Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, MaxLength, validateSync } from 'class-validator';
import { FilterNode, parseFilter, parseSort, ScimError, SortSpec } from '@scimflow/scim';

export const MAX_PAGE_SIZE = 200;
export const SEARCH_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value;

/** Query parameters of a SCIM list request (RFC 7644 §3.4.2). */
export class ListQuery {
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  filter?: string;

  /** 1-based; values below 1 are read as 1 (RFC 7644 §3.4.2.4) */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  startIndex?: number;

  /** negative values are read as 0; above the maximum, the maximum */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  count?: number;

  @IsOptional()
  @Transform(toList)
  @IsString({ each: true })
  attributes?: string[];

  @IsOptional()
  @Transform(toList)
  @IsString({ each: true })
  excludedAttributes?: string[];

  /** RFC 7644 §3.4.2.3; checked against the resource type's schemas when the query runs */
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  sortBy?: string;

  @IsOptional()
  @IsString()
  sortOrder?: string;

  static parse(query: Record<string, unknown>): Required<Pick<ListQuery, 'startIndex' | 'count'>> & ListQuery {
    const q = plainToInstance(ListQuery, query);
    const errors = validateSync(q, { whitelist: false });
    if (errors.length) {
      const detail = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`).join('; ');
      throw ScimError.badRequest('invalidValue', `Invalid query parameters: ${detail}`);
    }
    return {
      ...q,
      startIndex: Math.max(1, q.startIndex ?? 1),
      count: Math.min(MAX_PAGE_SIZE, Math.max(0, q.count ?? 100)),
    };
  }

  /**
   * The body of `POST …/.search` (RFC 7644 §3.4.3): the same parameters as a GET query, as JSON members
   * (`attributes` as an array, or a comma-separated string as in a query), named case-insensitively, with `schemas`
   * holding the SearchRequest URN. Members that are not search parameters are ignored.
   */
  static fromSearchRequest(body: unknown): ReturnType<typeof ListQuery.parse> {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw ScimError.badRequest('invalidSyntax', 'The search request body must be a JSON object');
    const byName = new Map<string, unknown>();
    for (const [key, value] of Object.entries(body)) {
      const lower = key.toLowerCase();
      if (byName.has(lower)) throw ScimError.badRequest('invalidSyntax', `Member '${key}' is given more than once`);
      byName.set(lower, value);
    }
    const schemas = byName.get('schemas');
    if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === SEARCH_REQUEST_SCHEMA.toLowerCase())) {
      throw ScimError.badRequest('invalidSyntax', `'schemas' must contain '${SEARCH_REQUEST_SCHEMA}'`);
    }
    const query: Record<string, unknown> = {};
    for (const name of ['filter', 'startIndex', 'count', 'attributes', 'excludedAttributes', 'sortBy', 'sortOrder']) {
      const value = byName.get(name.toLowerCase());
      if (value === undefined || value === null) continue;
      if ((name === 'startIndex' || name === 'count') && typeof value !== 'number' && typeof value !== 'string') {
        throw ScimError.badRequest('invalidValue', `Invalid search request: ${name} must be an integer`);
      }
      if ((name === 'filter' || name === 'sortBy' || name === 'sortOrder') && typeof value !== 'string') {
        throw ScimError.badRequest('invalidValue', `Invalid search request: ${name} must be a string`);
      }
      if (
        (name === 'attributes' || name === 'excludedAttributes') &&
        typeof value !== 'string' &&
        !(Array.isArray(value) && value.every((v) => typeof v === 'string'))
      ) {
        throw ScimError.badRequest('invalidValue', `Invalid search request: ${name} must be a string or an array of strings`);
      }
      query[name] = value;
    }
    return ListQuery.parse(query);
  }
}

/** A list or search request, parsed: what a ResourceLister runs. */
export interface ListRequest {
  filter?: FilterNode;
  sort?: SortSpec;
  startIndex: number;
  count: number;
  attributes?: string[];
  excludedAttributes?: string[];
}

/** Parses the filter (400 invalidFilter) and the sort (400 invalidValue) of a validated query. */
export function listRequestOf(q: ReturnType<typeof ListQuery.parse>): ListRequest {
  return {
    filter: q.filter !== undefined ? parseFilter(q.filter) : undefined,
    sort: parseSort(q.sortBy, q.sortOrder),
    startIndex: q.startIndex,
    count: q.count,
    attributes: q.attributes,
    excludedAttributes: q.excludedAttributes,
  };
}

/** Query parameters of a single-resource read. */
export function projectionOf(query: Record<string, unknown>): Pick<ListQuery, 'attributes' | 'excludedAttributes'> {
  // Entra never asks for a projection on a write or a GET by id: nothing to validate (ListQuery.parse is ~8 % of a write)
  if (query.attributes === undefined && query.excludedAttributes === undefined) return {};
  const { attributes, excludedAttributes } = ListQuery.parse({ attributes: query.attributes, excludedAttributes: query.excludedAttributes });
  return { attributes, excludedAttributes };
}
