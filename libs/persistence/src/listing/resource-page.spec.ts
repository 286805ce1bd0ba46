import { EntityManager } from 'typeorm';
import { queryResourcePage, ResourcePageQuery } from './resource-page';

/**
 * A table of `size` matching rows behind an EntityManager that answers the two statements queryResourcePage
 * sends (count, page with LIMIT/OFFSET) and records them: the SQL itself is covered by the e2e listing tests.
 */
function table(size: number) {
  const statements: string[] = [];
  const rows = Array.from({ length: size }, (_, i) => ({ id: `r${i + 1}` }));
  const em = {
    query: async (sql: string, params: unknown[]) => {
      if (sql.includes('count(*)')) {
        statements.push('count');
        return [{ total: rows.length }];
      }
      statements.push('page');
      const [limit, offset] = params.slice(-2) as number[];
      return rows.slice(offset, offset + limit);
    },
  } as unknown as EntityManager;
  return { em, statements };
}

const query = (startIndex: number, count: number): ResourcePageQuery => ({
  from: 'scim_users u',
  tenantColumn: 'u.tenant_id',
  columns: 'u.id',
  defaultOrder: 'u.created_at, u.id',
  startIndex,
  count,
});

describe('queryResourcePage: the count query only when the page cannot tell the total', () => {
  const cases: [string, number, number, number, string[], number, number][] = [
    // name, matching rows, startIndex, count, statements, totalResults, rows returned
    ['lookup that matches one row (Entra)', 1, 1, 100, ['page'], 1, 1],
    ['lookup that matches nothing', 0, 1, 100, ['page'], 0, 0],
    ['short first page', 7, 1, 10, ['page'], 7, 7],
    ['first page filled exactly: more may follow', 10, 1, 10, ['page', 'count'], 10, 10],
    ['full first page with more behind it', 25, 1, 10, ['page', 'count'], 25, 10],
    ['count=0 asks for the total only', 25, 1, 0, ['count'], 25, 0],
    ['count=0 on an empty result', 0, 1, 0, ['count'], 0, 0],
    ['a later page is counted', 25, 11, 10, ['count', 'page'], 25, 10],
    ['a later, short page is counted too', 25, 21, 10, ['count', 'page'], 25, 5],
    ['startIndex past the end: no page query', 5, 11, 10, ['count'], 5, 0],
  ];
  it.each(cases)('%s', async (_name, size, startIndex, count, statements, total, returned) => {
    const t = table(size);
    const page = await queryResourcePage<{ id: string }>(t.em, 'tenant', query(startIndex, count));
    expect(t.statements).toEqual(statements);
    expect(page.total).toBe(total);
    expect(page.rows).toHaveLength(returned);
    if (returned > 0) expect(page.rows[0].id).toBe(`r${startIndex}`);
  });

  it('passes the filter and sort parameters to both statements in the same numbering', async () => {
    const seen: [string, unknown[]][] = [];
    const em = {
      query: async (sql: string, params: unknown[]) => {
        seen.push([sql, params]);
        return sql.includes('count(*)')
          ? [{ total: 3 }]
          : [
              { id: 'a', sort_key: 'x' },
              { id: 'b', sort_key: 'y' },
            ];
      },
    } as unknown as EntityManager;
    const page = await queryResourcePage<{ id: string }>(em, 'tenant', {
      ...query(1, 2),
      where: (offset) => ({ sql: `lower(u.user_name) = $${offset + 1}`, params: ['ada'] }),
      sort: (offset) => ({
        expression: `u.document->>$${offset + 1}`,
        orderBy: `u.document->>$${offset + 1} ASC NULLS LAST`,
        params: ['title'],
        kind: 'string',
      }),
    });
    expect(page).toEqual({
      total: 3,
      rows: [
        { id: 'a', sort_key: 'x' },
        { id: 'b', sort_key: 'y' },
      ],
      sortKeys: ['x', 'y'],
    });
    const [[pageSql, pageParams], [countSql, countParams]] = seen;
    expect(pageSql).toContain('lower(u.user_name) = $2');
    expect(pageSql).toContain('LIMIT $4 OFFSET $5');
    expect(pageParams).toEqual(['tenant', 'ada', 'title', 2, 0]);
    expect(countSql).toContain('lower(u.user_name) = $2');
    expect(countParams).toEqual(['tenant', 'ada']);
  });
});
