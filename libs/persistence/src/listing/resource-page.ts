import { EntityManager } from 'typeorm';
import { sortKeyValue, SqlFilter, SqlSort } from '@scimflow/scim';

/**
 * One page of a SCIM list or search over one table (RFC 7644 §3.4.2): the total of matching rows and the rows of
 * the page, filtered and sorted by compiled, parameterised SQL. Shared by the stores of every resource type.
 */
export interface ResourcePageQuery {
  /** FROM clause with the alias the compiled SQL uses, e.g. `scim_users u` */
  from: string;
  /** column holding the tenant id, e.g. `u.tenant_id` */
  tenantColumn: string;
  /** SELECT list of a row */
  columns: string;
  /** stable order of the table (creation), and the tie-breaker after a sort, e.g. `u.created_at, u.id` */
  defaultOrder: string;
  /** compiles the filter with placeholders numbered from `paramOffset + 1`; undefined: every row */
  where?: (paramOffset: number) => SqlFilter;
  /** compiles the sort likewise; undefined: the default order */
  sort?: (paramOffset: number) => SqlSort;
  /** 1-based */
  startIndex: number;
  count: number;
}

export interface ResourcePage<Row> {
  total: number;
  rows: Row[];
  /** the sort key of each row when sorted, comparable with compareSortKeys (to merge pages of several resource types) */
  sortKeys?: unknown[];
}

/**
 * Entra's lookups (`filter=userName eq …`, startIndex 1) match at most one row: when the first page comes back
 * shorter than `count`, it holds every matching row, so its length is the total and the count query is skipped
 * (one round trip instead of two). Otherwise the total is counted, as before.
 */
export async function queryResourcePage<Row>(em: EntityManager, tenantId: string, q: ResourcePageQuery): Promise<ResourcePage<Row>> {
  const where = q.where?.(1);
  const condition = where ? `AND (${where.sql})` : '';
  const params: unknown[] = [tenantId, ...(where?.params ?? [])];
  const countRows = async (): Promise<number> =>
    (await em.query(`SELECT count(*)::int AS total FROM ${q.from} WHERE ${q.tenantColumn} = $1 ${condition}`, params))[0].total;
  const pageFirst = q.startIndex === 1 && q.count > 0;
  let total = pageFirst ? undefined : await countRows();
  if (total !== undefined && (q.count === 0 || total === 0 || q.startIndex > total)) return { total, rows: [] };
  const sort = q.sort?.(params.length);
  const pageParams = [...params, ...(sort?.params ?? [])];
  const order = sort ? `${sort.orderBy}, ${q.defaultOrder}` : q.defaultOrder;
  const rows: (Row & { sort_key?: unknown })[] = await em.query(
    `SELECT ${q.columns}${sort ? `, ${sort.expression} AS sort_key` : ''} FROM ${q.from} WHERE ${q.tenantColumn} = $1 ${condition}
     ORDER BY ${order} LIMIT $${pageParams.length + 1} OFFSET $${pageParams.length + 2}`,
    [...pageParams, q.count, q.startIndex - 1],
  );
  // a short first page is every matching row; a full one may have more behind it
  total ??= rows.length < q.count ? rows.length : await countRows();
  if (!sort) return { total, rows };
  return { total, rows, sortKeys: rows.map((r) => sortKeyValue(r.sort_key, sort.kind)) };
}
