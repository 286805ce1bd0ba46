import { FilterNode, parseFilter, ScimError } from '@scimflow/scim';
import { compileGroupFilter } from './group-filter';

const U1 = '00000000-0000-4000-8000-000000000001';
const G1 = '9a1b0000-0000-4000-8000-0000000000aa';
const compile = (text: string, offset = 0) => compileGroupFilter(parseFilter(text), offset);

const MEMBERS = 'FROM scim_group_members m';

describe('compileGroupFilter: members are tested against the membership table', () => {
  const memberFilters: [string, string, unknown[]][] = [
    ['members eq "id"', `members eq "${U1}"`, [U1]],
    ['members.value eq "id"', `members.value eq "${U1}"`, [U1]],
    ['URN-qualified members', `urn:ietf:params:scim:schemas:core:2.0:Group:members eq "${U1}"`, [U1]],
    ['Members (any case)', `MEMBERS eq "${U1}"`, [U1]],
    ['members[value eq "id"]', `members[value eq "${U1}"]`, [U1]],
    ['members pr', 'members pr', []],
    ['members.display co', 'members.display co "ada"', ['%ada%']],
    ['members[type eq "User"].value eq "id"', `members[type eq "User"].value eq "${U1}"`, ['User', U1]],
    ['members[value eq "id"].display pr', `members[value eq "${U1}"].display pr`, [U1]],
  ];
  it.each(memberFilters)('%s becomes an EXISTS over the membership table', (_name, text, params) => {
    const { sql, params: p } = compile(text);
    expect(sql).toContain(MEMBERS);
    expect(sql).toContain('m.tenant_id = g.tenant_id AND m.group_id = g.id');
    expect(sql).not.toContain('g.document');
    expect(p).toEqual(params);
  });

  it("Entra's `id eq … and members eq …`: the id column and the membership EXISTS, parameters in order", () => {
    const { sql, params } = compile(`id eq "${G1}" and members eq "${U1}"`, 1);
    expect(params).toEqual([G1, U1]);
    expect(sql).toBe(
      `((g.id::text = $2::text) AND (EXISTS (SELECT 1 FROM scim_group_members m WHERE m.tenant_id = g.tenant_id AND m.group_id = g.id AND (m.user_id::text = $3::text))))`,
    );
  });

  it('joins the users table only when display is tested', () => {
    expect(compile(`members eq "${U1}"`).sql).not.toContain('JOIN scim_users');
    expect(compile('members.display eq "Ada"').sql).toContain('JOIN scim_users mu ON mu.id = m.user_id');
  });

  it('value is compared case-exactly, display case-insensitively', () => {
    expect(compile(`members eq "${U1}"`).sql).toContain('(m.user_id::text = $1::text)');
    expect(compile('members.display eq "Ada"').sql).toContain('lower(');
  });

  const negations: [string, string, RegExp][] = [
    ['members ne "id" is "no such member"', `members ne "${U1}"`, /^\(NOT \(\(EXISTS .*\) IS TRUE\)\)$/],
    ['not (members eq "id")', `not (members eq "${U1}")`, /^\(NOT \(\(EXISTS .*\) IS TRUE\)\)$/],
    ['members eq null is "no members"', 'members eq null', /^\(NOT \(\(EXISTS .*\) IS TRUE\)\)$/],
    ['members ne null is "some member"', 'members ne null', /^\(EXISTS /],
    ['members[…].value ne "id" is "no such member"', `members[type eq "User"].value ne "${U1}"`, /^\(NOT \(\(EXISTS .*\) IS TRUE\)\)$/],
  ];
  it.each(negations)('%s', (_name, text, shape) => {
    expect(compile(text).sql).toMatch(shape);
  });

  it('mixes member and group tests under or/and', () => {
    const { sql, params } = compile(`displayName eq "Ops" or (externalId eq "e" and members[value eq "${U1}" or value eq "x"])`);
    expect(params).toEqual(['Ops', 'e', U1, 'x']);
    expect(sql).toContain('lower(g.display_name)');
    expect(sql).toContain('g.external_id');
    expect(sql.match(/\$(\d+)/g)).toEqual(['$1', '$2', '$3', '$4']);
  });

  const groupOnly: [string, string, string][] = [
    ['displayName eq (Entra), case-insensitive on the column', 'displayName eq "Ops"', '(lower(g.display_name) = lower($1::text))'],
    ['externalId eq, case-exact', 'externalId eq "e1"', '(g.external_id = $1::text)'],
    ['id eq', `id eq "${G1}"`, '(g.id::text = $1::text)'],
    ['meta.lastModified gt', 'meta.lastModified gt "2026-01-01T00:00:00Z"', '(g.updated_at > $1::timestamptz)'],
  ];
  it.each(groupOnly)('%s', (_name, text, sql) => {
    const compiled = compile(text);
    expect(compiled.sql).toBe(sql);
    expect(compiled.sql).not.toContain(MEMBERS);
  });

  it('never puts filter text into the SQL', () => {
    const evil = `x'); DROP TABLE scim_groups; --`;
    for (const text of [`members eq "${evil}"`, `members[value eq "${evil}"]`, `members.display sw "${evil}"`, `displayName eq "${evil}"`]) {
      const { sql, params } = compile(text);
      expect(sql).not.toContain('DROP');
      expect(params.some((p) => String(p).includes('DROP'))).toBe(true);
    }
  });

  const invalid: [string, string][] = [
    ['an unknown member sub-attribute', 'members.foo eq "x"'],
    ['$ref of a member', 'members.$ref eq "x"'],
    ['an unknown attribute inside members[…]', 'members[role eq "x"]'],
    ['an unknown member sub-attribute after members[…]', 'members[type eq "User"].role eq "x"'],
    ['gt with null', 'members gt null'],
    ['an unknown group attribute', 'userName eq "x"'],
  ];
  it.each(invalid)('rejects %s with invalidFilter', (_name, text) => {
    let error: unknown;
    try {
      compile(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScimError);
    expect([(error as ScimError).status, (error as ScimError).scimType]).toEqual([400, 'invalidFilter']);
  });

  const members = { attribute: 'members' };
  const built: [string, FilterNode, string][] = [
    ['members gt null', { kind: 'compare', attribute: members, op: 'gt', value: null }, "Invalid filter: 'gt' cannot be used with null."],
    [
      'members.value[…]',
      { kind: 'valuePath', attribute: { attribute: 'members', subAttribute: 'value' }, filter: { kind: 'present', attribute: { attribute: 'type' } } },
      'Invalid filter: a value filter names an attribute, not a sub-attribute.',
    ],
  ];
  it.each(built)('rejects %s built without the parser, as the parser would', (_name, node, detail) => {
    expect(() => compileGroupFilter(node)).toThrow(new ScimError(400, detail, 'invalidFilter'));
  });
});
