import fc from 'fast-check';
import { ScimError } from '../errors';
import { attr as def, SchemaDefinition } from '../schema/attribute';
import { enterpriseUserSchema, userSchema } from '../schema/user.schema';
import { AttributeReference, CompareOperator, FilterNode, FilterValue } from './ast';
import { parseFilter } from './parser';
import { DATE_TIME_PATTERN } from './semantics';
import { compileFilterToSql, escapeLike, SqlFilterTarget } from './sql';
import { ENTERPRISE } from './test-helpers';

const CUSTOM = 'urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName';
const customSchema: SchemaDefinition = {
  id: CUSTOM,
  name: 'Custom',
  description: 'test extension',
  attributes: [
    def('folders', 'string', { multiValued: true }),
    def('level', 'integer'),
    def('badge', 'string', { caseExact: true }),
    def('hiredAt', 'dateTime'),
    def('verified', 'boolean'),
  ],
};

const target: SqlFilterTarget = {
  schemas: [userSchema, enterpriseUserSchema, customSchema],
  document: 'u.resource',
  columns: {
    id: { sql: 'u.id', type: 'string', caseExact: true },
    username: { sql: 'u.user_name', type: 'string', caseExact: false },
    externalid: { sql: 'u.external_id', type: 'string', caseExact: true },
    'meta.created': { sql: 'u.created_at', type: 'dateTime', caseExact: false },
    'meta.lastmodified': { sql: 'u.updated_at', type: 'dateTime', caseExact: false },
    active: { sql: 'u.active', type: 'boolean', caseExact: false },
  },
};
const lenient: SqlFilterTarget = { ...target, strict: false };
/** A group schema whose members.value is caseExact, as in the Group schema. */
const groupSchemaWithMembers: SchemaDefinition = {
  id: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  name: 'Group',
  description: 'Group',
  attributes: [def('members', 'complex', { multiValued: true, subAttributes: [def('value', 'string', { caseExact: true }), def('type', 'string')] })],
};

const compile = (filter: string | FilterNode, t: SqlFilterTarget = target, offset = 0) =>
  compileFilterToSql(typeof filter === 'string' ? parseFilter(filter) : filter, t, offset);

/** The jsonb value of a top-level document key $n, as the compiler writes it. */
const doc = (n: number) => `(u.resource -> $${n}::text)`;
const str = (x: string) => `(CASE WHEN jsonb_typeof(${x}) = 'string' THEN ${x} #>> '{}' END)`;
const elements = (x: string) =>
  `(CASE WHEN jsonb_typeof(${x}) = 'array' THEN ${x} WHEN jsonb_typeof(${x}) IN ('object', 'string', 'number', 'boolean') THEN jsonb_build_array(${x}) ELSE '[]'::jsonb END)`;
const PRESENT = `'strict $.** ? (@.type() == "number" || @.type() == "boolean" || (@.type() == "string" && @ != ""))'`;

/** Every string literal the compiler may emit; anything else in quotes would have come from the input. */
const FIXED_LITERALS = new Set([
  "'string'",
  "'array'",
  "'object'",
  "'number'",
  "'boolean'",
  "'{}'",
  "'[]'",
  "'value'",
  "''",
  "'\\'",
  PRESENT,
  `'${DATE_TIME_PATTERN}'`,
  "'(?<=[.][0-9]{3})[0-9]+'",
]);
const SQL_WORDS = new Set(
  (
    'SELECT FROM WHERE EXISTS AS AND OR NOT IS TRUE NULL CASE WHEN THEN ELSE END IN LIKE ESCAPE COLLATE C ' +
    'lower jsonb_typeof jsonb_array_elements jsonb_build_array jsonb_path_exists regexp_replace text numeric boolean timestamptz jsonb v ' +
    'u resource id user_name external_id created_at updated_at active employee_number'
  ).split(' '),
);

/**
 * Proves by inspection that no input text reached the SQL: only whitelisted literals, only known words, only
 * operator characters, and placeholders exactly covering the parameters.
 */
function expectParameterised(sql: string, params: unknown[], offset = 0): void {
  const literals = sql.match(/'(?:[^']|'')*'/g) ?? [];
  for (const lit of literals) expect(FIXED_LITERALS).toContain(lit);
  const rest = sql.replace(/'(?:[^']|'')*'/g, ' ').replace(/COLLATE "C"/g, 'COLLATE C');
  expect(rest).toMatch(/^[A-Za-z0-9_$:.,()<>=#~ -]*$/);
  expect(rest).not.toMatch(/--|;/);
  for (const word of rest.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) {
    if (!/^e\d+$/.test(word)) expect(SQL_WORDS).toContain(word);
  }
  const used = new Set((rest.match(/\$\d+/g) ?? []).map((p) => Number(p.slice(1))));
  expect([...used].sort((a, b) => a - b)).toEqual(params.map((_, i) => offset + i + 1));
}

function errorOf(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScimError) return e;
    throw e;
  }
  throw new Error('expected a ScimError');
}

describe('compileFilterToSql: columns', () => {
  it.each<[string, string, unknown[]]>([
    // Entra's look-ups hit plain, index-friendly column comparisons.
    [
      'userName eq "Test_User_dfeef4c5-5681-4387-b016-bdf221e82081"',
      '(lower(u.user_name) = lower($1::text))',
      ['Test_User_dfeef4c5-5681-4387-b016-bdf221e82081'],
    ],
    ['externalId eq "abc"', '(u.external_id = $1::text)', ['abc']],
    ['id eq "2819c223"', '(u.id = $1::text)', ['2819c223']],
    ['USERNAME eq "x"', '(lower(u.user_name) = lower($1::text))', ['x']],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x"', '(lower(u.user_name) = lower($1::text))', ['x']],
    ['userName ne "x"', '(NOT ((lower(u.user_name) = lower($1::text)) IS TRUE))', ['x']],
    ['externalId ne "x"', '(NOT ((u.external_id = $1::text) IS TRUE))', ['x']],
    ['userName co "a%b_c\\\\d"', "(lower(u.user_name) LIKE lower($1::text) ESCAPE '\\')", ['%a\\%b\\_c\\\\d%']],
    ['userName sw "J"', "(lower(u.user_name) LIKE lower($1::text) ESCAPE '\\')", ['J%']],
    ['userName ew "@example.com"', "(lower(u.user_name) LIKE lower($1::text) ESCAPE '\\')", ['%@example.com']],
    ['externalId sw "B"', "(u.external_id LIKE $1::text ESCAPE '\\')", ['B%']],
    ['userName gt "m"', '((lower(u.user_name) COLLATE "C") > lower($1::text))', ['m']],
    ['userName ge "m"', '((lower(u.user_name) COLLATE "C") >= lower($1::text))', ['m']],
    ['externalId lt "m"', '((u.external_id COLLATE "C") < $1::text)', ['m']],
    ['externalId le "m"', '((u.external_id COLLATE "C") <= $1::text)', ['m']],
    ['userName pr', "(u.user_name IS NOT NULL AND u.user_name <> '')", []],
    ['active pr', '(u.active IS NOT NULL)', []],
    ['userName eq null', "(NOT ((u.user_name IS NOT NULL AND u.user_name <> '') IS TRUE))", []],
    ['userName ne null', "(u.user_name IS NOT NULL AND u.user_name <> '')", []],
    ['active eq true', '(u.active = $1::boolean)', [true]],
    ['active eq "False"', '(u.active = $1::boolean)', [false]],
    ['active ne true', '(NOT ((u.active = $1::boolean) IS TRUE))', [true]],
    ['meta.created gt "2011-05-13T04:42:34Z"', '(u.created_at > $1::timestamptz)', ['2011-05-13T04:42:34.000Z']],
    ['meta.lastModified ge "2011-05-13"', '(u.updated_at >= $1::timestamptz)', ['2011-05-13T00:00:00.000Z']],
    ['meta.lastModified lt "2011-05-13T06:42:34+02:00"', '(u.updated_at < $1::timestamptz)', ['2011-05-13T04:42:34.000Z']],
    ['meta.created le "2011-05-13T04:42:34.5"', '(u.created_at <= $1::timestamptz)', ['2011-05-13T04:42:34.500Z']],
    ['meta.created eq "2011-05-13T04:42:34Z"', '(u.created_at = $1::timestamptz)', ['2011-05-13T04:42:34.000Z']],
  ])('%s', (filter, sql, params) => {
    const out = compile(filter);
    expect(out).toEqual({ sql, params });
    expectParameterised(out.sql, out.params);
  });

  it('numbers placeholders after paramOffset', () => {
    const out = compile('userName eq "a" and externalId eq "b"', target, 2);
    expect(out).toEqual({ sql: '((lower(u.user_name) = lower($3::text)) AND (u.external_id = $4::text))', params: ['a', 'b'] });
    expectParameterised(out.sql, out.params, 2);
  });

  it('takes columns for extension attributes, keyed by lower-cased URN path', () => {
    const t = {
      ...target,
      columns: { ...target.columns, [`${ENTERPRISE.toLowerCase()}:employeenumber`]: { sql: 'u.employee_number', type: 'string' as const, caseExact: false } },
    };
    expect(compile(`${ENTERPRISE}:employeeNumber eq "7"`, t)).toEqual({ sql: '(lower(u.employee_number) = lower($1::text))', params: ['7'] });
    expect(compile('employeeNumber eq "7"', t).sql).toBe('(lower(u.employee_number) = lower($1::text))');
  });

  it('accepts column keys in any case', () => {
    const t = { ...target, columns: { UserName: { sql: 'u.user_name', type: 'string' as const, caseExact: false } } };
    expect(compile('userName eq "x"', t).sql).toBe('(lower(u.user_name) = lower($1::text))');
  });
});

describe('compileFilterToSql: jsonb document', () => {
  it('compares a single-valued string, case-insensitively and only when it is a JSON string', () => {
    expect(compile('displayName eq "Group_1"')).toEqual({ sql: `(lower(${str(doc(1))}) = lower($2::text))`, params: ['displayName', 'Group_1'] });
  });

  it('compares caseExact strings without lower()', () => {
    const x = `(${doc(1)} -> $2::text)`;
    expect(compile(`${CUSTOM}:badge eq "Gold"`)).toEqual({ sql: `(${str(x)} = $3::text)`, params: [CUSTOM, 'badge', 'Gold'] });
  });

  it('walks sub-attributes with one parameter per key', () => {
    const x = `(${doc(1)} -> $2::text)`;
    expect(compile('name.familyName co "O\'Malley"')).toEqual({
      sql: `(lower(${str(x)}) LIKE lower($3::text) ESCAPE '\\')`,
      params: ['name', 'familyName', "%O'Malley%"],
    });
  });

  it('compiles multi-valued attributes to EXISTS over jsonb_array_elements', () => {
    const x = '(e1.v -> $2::text)';
    expect(compile('emails.value co "@example.com"')).toEqual({
      sql: `(EXISTS (SELECT 1 FROM jsonb_array_elements(${elements(doc(1))}) AS e1(v) WHERE (lower(${str(x)}) LIKE lower($3::text) ESCAPE '\\')))`,
      params: ['emails', 'value', '%@example.com%'],
    });
  });

  it('compares a multi-valued complex attribute through its value sub-attribute', () => {
    expect(compile('emails eq "a@b.c"').params).toEqual(['emails', 'value', 'a@b.c']);
    expect(compile('emails eq "a@b.c"').sql).toContain('AS e1(v) WHERE (lower(');
  });

  it('compiles value paths to EXISTS with the element filter inside', () => {
    const out = compile('emails[type eq "work" and value co "@example.com"]');
    expect(out.sql).toBe(
      `(EXISTS (SELECT 1 FROM jsonb_array_elements(${elements(doc(1))}) AS e1(v) WHERE ` +
        `(jsonb_typeof(e1.v) = 'object' AND ((lower(${str('(e1.v -> $2::text)')}) = lower($3::text)) AND ` +
        `(lower(${str('(e1.v -> $4::text)')}) LIKE lower($5::text) ESCAPE '\\')))))`,
    );
    expect(out.params).toEqual(['emails', 'type', 'work', 'value', '%@example.com%']);
    expectParameterised(out.sql, out.params);
  });

  it('compiles a sub-attribute after a value filter as the same element matching both (Entra work email)', () => {
    const out = compile('emails[type eq "work"].value eq "Ada@Contoso.example"');
    expect(out).toEqual(compile('emails[type eq "work" and value eq "Ada@Contoso.example"]'));
    expect(out.sql).toBe(
      `(EXISTS (SELECT 1 FROM jsonb_array_elements(${elements(doc(1))}) AS e1(v) WHERE ` +
        `(jsonb_typeof(e1.v) = 'object' AND ((lower(${str('(e1.v -> $2::text)')}) = lower($3::text)) AND ` +
        `(lower(${str('(e1.v -> $4::text)')}) = lower($5::text))))))`,
    );
    expect(out.params).toEqual(['emails', 'type', 'work', 'value', 'Ada@Contoso.example']);
    expectParameterised(out.sql, out.params);
  });

  it('honours the caseExact of the sub-attribute after a value filter', () => {
    const exact = compile('members[type eq "User"].value eq "AbC"', { ...target, schemas: [groupSchemaWithMembers] });
    expect(exact.sql).toContain(`(${str('(e1.v -> $4::text)')} = $5::text)`);
    expect(exact.sql).toContain(`(lower(${str('(e1.v -> $2::text)')}) = lower($3::text))`);
  });

  it('reads ne, eq null and not of a sub-attribute after a value filter over the whole attribute', () => {
    const eq = compile('emails[type eq "work"].value eq "x"').sql;
    const pr = compile('emails[type eq "work" and value pr]').sql;
    expect(compile('emails[type eq "work"].value ne "x"').sql).toBe(`(NOT (${eq} IS TRUE))`);
    expect(compile('not (emails[type eq "work"].value eq "x")').sql).toBe(`(NOT (${eq} IS TRUE))`);
    expect(compile('emails[type eq "work"].value pr').sql).toBe(pr);
    expect(compile('emails[type eq "work"].value ne null').sql).toBe(pr);
    expect(compile('emails[type eq "work"].value eq null').sql).toBe(`(NOT (${pr} IS TRUE))`);
  });

  it('combines a sub-attribute after a value filter with columns and other value paths', () => {
    const out = compile('emails[type eq "work"].value eq "x" and userName eq "u" or addresses[type eq "work"].postalCode sw "91"');
    expect(out.sql).toContain('(lower(u.user_name) = lower(');
    expect(out.sql).toContain('AS e1(v)');
    expect(out.sql).toContain('AS e2(v)');
    expect(out.params).toEqual(['emails', 'type', 'work', 'value', 'x', 'u', 'addresses', 'type', 'work', 'postalCode', '91%']);
    expectParameterised(out.sql, out.params);
  });

  it('numbers EXISTS aliases uniquely', () => {
    const out = compile('emails[type eq "work"] and phoneNumbers.value pr');
    expect(out.sql).toContain('AS e1(v)');
    expect(out.sql).toContain('AS e2(v)');
  });

  it('compiles a value path on a single-valued complex attribute without EXISTS', () => {
    const out = compile('name[givenName eq "Barbara"]');
    expect(out.sql).toBe(`(jsonb_typeof(${doc(1)}) = 'object' AND (lower(${str(`(${doc(1)} -> $2::text)`)}) = lower($3::text)))`);
  });

  it('compares booleans stored as JSON booleans or as "True"/"False" strings', () => {
    const x = `(e1.v -> $2::text)`;
    expect(compile('emails.primary eq true')).toEqual({
      sql: `(EXISTS (SELECT 1 FROM jsonb_array_elements(${elements(doc(1))}) AS e1(v) WHERE (lower(CASE WHEN jsonb_typeof(${x}) IN ('boolean', 'string') THEN ${x} #>> '{}' END) = $3::text)))`,
      params: ['emails', 'primary', 'true'],
    });
    expect(compile(`${CUSTOM}:verified eq "FALSE"`).params).toEqual([CUSTOM, 'verified', 'false']);
  });

  it('compares numbers numerically', () => {
    const x = `(${doc(1)} -> $2::text)`;
    expect(compile(`${CUSTOM}:level gt 4`)).toEqual({
      sql: `((CASE WHEN jsonb_typeof(${x}) = 'number' THEN (${x} #>> '{}')::numeric END) > $3::numeric)`,
      params: [CUSTOM, 'level', 4],
    });
    expect(compile(`${CUSTOM}:level le -1.5e3`).params).toEqual([CUSTOM, 'level', -1500]);
  });

  it('compares dateTimes as timestamptz, guarded by the date pattern', () => {
    const x = `(${doc(1)} -> $2::text)`;
    const out = compile(`${CUSTOM}:hiredAt lt "2015-03-01T08:30:00+01:00"`);
    expect(out.sql).toBe(
      `((CASE WHEN jsonb_typeof(${x}) = 'string' AND (${x} #>> '{}') ~ '${DATE_TIME_PATTERN}' ` +
        `THEN regexp_replace(${x} #>> '{}', '(?<=[.][0-9]{3})[0-9]+', '')::timestamptz END) < $3::timestamptz)`,
    );
    expect(out.params).toEqual([CUSTOM, 'hiredAt', '2015-03-01T07:30:00.000Z']);
  });

  it('tests presence with a fixed jsonpath', () => {
    expect(compile('title pr')).toEqual({ sql: `(jsonb_path_exists(${doc(1)}, ${PRESENT}))`, params: ['title'] });
    expect(compile('title eq null')).toEqual({ sql: `(NOT ((jsonb_path_exists(${doc(1)}, ${PRESENT})) IS TRUE))`, params: ['title'] });
    expect(compile('emails.display pr').sql).toContain(`WHERE (jsonb_path_exists((e1.v -> $2::text), ${PRESENT}))`);
  });

  it('resolves extension attributes with and without URN prefix to the canonical schema id', () => {
    const x = `((${doc(1)} -> $2::text) -> $3::text)`;
    const expected = { sql: `(lower(${str(x)}) = lower($4::text))`, params: [ENTERPRISE, 'manager', 'value', '26118915'] };
    expect(compile(`${ENTERPRISE}:manager.value eq "26118915"`)).toEqual(expected);
    expect(compile('manager.value eq "26118915"')).toEqual(expected);
    expect(compile(`${ENTERPRISE.toUpperCase()}:MANAGER.VALUE eq "26118915"`)).toEqual(expected);
    // Entra's reference check names the single-valued manager without sub-attribute: compared through its value
    expect(compile('manager eq "26118915"')).toEqual(expected);
  });

  it('uses the schema spelling of attribute names as JSON keys', () => {
    expect(compile('DISPLAYNAME eq "x"').params).toEqual(['displayName', 'x']);
    expect(compile('EMAILS[TYPE eq "work"]').params).toEqual(['emails', 'type', 'work']);
  });

  it('treats multi-valued strings as any-of', () => {
    const out = compile(`${CUSTOM}:folders eq "Inbox"`);
    expect(out.sql).toBe(
      `(EXISTS (SELECT 1 FROM jsonb_array_elements(${elements(`(${doc(1)} -> $2::text)`)}) AS e1(v) WHERE (lower(${str('e1.v')}) = lower($3::text))))`,
    );
    expect(out.params).toEqual([CUSTOM, 'folders', 'Inbox']);
  });
});

describe('compileFilterToSql: value indexes', () => {
  const indexed: SqlFilterTarget = { ...target, valueIndexes: { 'Emails.Value': 'email_values(u.resource)' } };
  const uses = (n: number) => `(email_values(u.resource) @> ARRAY[lower($${n}::text)])`;

  it('adds the indexed test, which the comparison implies, before a value path with an eq on the path', () => {
    const out = compile('emails[type eq "work"].value eq "Ada@Contoso.example"', indexed);
    expect(out.sql).toBe(`(${uses(6)} AND ${compile('emails[type eq "work"].value eq "Ada@Contoso.example"').sql})`);
    expect(out.params).toEqual(['emails', 'type', 'work', 'value', 'Ada@Contoso.example', 'Ada@Contoso.example']);
    // `@>` and `ARRAY[…]` are the only characters the index test adds to the compiler's alphabet.
    expectParameterised(out.sql.replace(uses(6), '(lower($6::text) IS NOT NULL)'), out.params);
  });

  it.each([
    ['emails.value eq "a"', 4],
    ['emails eq "a"', 4],
    ['emails[value eq "a"]', 4],
    ['emails[primary eq true and value eq "a" and type eq "work"]', 8],
    ['urn:ietf:params:scim:schemas:core:2.0:User:emails[value eq "a"]', 4],
  ])('uses the index for %s', (filter, n) => {
    const out = compile(filter, indexed);
    expect(out.sql.startsWith(`(${uses(n)} AND `)).toBe(true);
    expect(out.params[n - 1]).toBe('a');
  });

  it('keeps the indexed test inside ne and not, where it is harmless', () => {
    expect(compile('emails[type eq "work"].value ne "a"', indexed).sql).toMatch(
      /^\(NOT \(\(\(email_values\(u\.resource\) @> ARRAY\[lower\(\$6::text\)\]\) AND /,
    );
    expect(compile('not (emails.value eq "a")', indexed).sql).toContain(uses(4));
  });

  it.each([
    'emails[type eq "work"].value co "a"',
    'emails[type eq "work"].value pr',
    'emails[type eq "work" or value eq "a"]',
    'emails[not (value eq "a")]',
    'emails[type eq "work"]',
    'emails.type eq "work"',
    'emails.value sw "a"',
    'emails.value eq null',
    'phoneNumbers[value eq "a"]',
    'userName eq "a"',
  ])('does not use it for %s, which does not imply it', (filter) => {
    const out = compile(filter, indexed);
    expect(out).toEqual(compile(filter));
  });
});

describe('compileFilterToSql: logic', () => {
  it.each<[string, string]>([
    ['userName eq "a" and externalId eq "b"', '((lower(u.user_name) = lower($1::text)) AND (u.external_id = $2::text))'],
    ['userName eq "a" or externalId eq "b"', '((lower(u.user_name) = lower($1::text)) OR (u.external_id = $2::text))'],
    [
      'userName pr and active pr and id pr',
      "((u.user_name IS NOT NULL AND u.user_name <> '') AND (u.active IS NOT NULL) AND (u.id IS NOT NULL AND u.id <> ''))",
    ],
    [
      'userName pr or active pr and id pr',
      "((u.user_name IS NOT NULL AND u.user_name <> '') OR ((u.active IS NOT NULL) AND (u.id IS NOT NULL AND u.id <> '')))",
    ],
    [
      '(userName pr or active pr) and id pr',
      "(((u.user_name IS NOT NULL AND u.user_name <> '') OR (u.active IS NOT NULL)) AND (u.id IS NOT NULL AND u.id <> ''))",
    ],
    ['not (active pr)', '(NOT ((u.active IS NOT NULL) IS TRUE))'],
    ['not (not (active pr))', '(NOT ((NOT ((u.active IS NOT NULL) IS TRUE)) IS TRUE))'],
    [
      'active pr and (id pr and userName pr)',
      "((u.active IS NOT NULL) AND (u.id IS NOT NULL AND u.id <> '') AND (u.user_name IS NOT NULL AND u.user_name <> ''))",
    ],
  ])('%s', (filter, sql) => {
    expect(compile(filter).sql).toBe(sql);
  });

  it('flattens long chains into one level', () => {
    const filter = Array.from({ length: 300 }, (_, i) => `userName eq "u${i}"`).join(' or ');
    const out = compile(filter);
    expect(out.params).toHaveLength(300);
    expect(out.sql.startsWith('((lower(u.user_name) = lower($1::text)) OR (lower(')).toBe(true);
    expect(out.sql.match(/\(\(lower/g)).toHaveLength(1);
    expectParameterised(out.sql, out.params);
  });

  it('is deterministic', () => {
    const f = parseFilter('emails[type eq "work"] or not (title co "x")');
    expect(compileFilterToSql(f, target)).toEqual(compileFilterToSql(f, target));
  });
});

describe('compileFilterToSql: rejected filters', () => {
  const cases: Array<[string, string | FilterNode, string, SqlFilterTarget?]> = [
    ['unknown attribute (strict)', 'favouriteColour eq "blue"', "unknown attribute 'favouriteColour'"],
    ['unknown attribute pr (strict)', 'favouriteColour pr', "unknown attribute 'favouriteColour'"],
    ['unknown sub-attribute', 'name.nickname eq "x"', "attribute 'name' has no sub-attribute 'nickname'"],
    ['sub-attribute of a simple attribute', 'userType.x eq "x"', "attribute 'userType' has no sub-attributes"],
    ['unknown schema', 'urn:ietf:params:scim:schemas:extension:2.0:Other:x eq "y"', "unknown schema 'urn:ietf:params:scim:schemas:extension:2.0:Other'"],
    ['unknown attribute in known schema', `${ENTERPRISE}:shoeSize eq 42`, `unknown attribute 'shoeSize' in schema '${ENTERPRISE}'`],
    ['unknown element attribute', 'emails[colour eq "red"]', "'emails' has no sub-attribute 'colour'"],
    ['meta without a column', 'meta.version eq "W/1"', "'meta.version' cannot be used in a filter here"],
    ['meta pr', 'meta pr', "'meta' cannot be used in a filter here"],
    ['id without a column', 'id eq "x"', "'id' cannot be used in a filter here", { ...target, columns: {} }],
    ['complex eq', 'name eq "x"', "'name' is a complex attribute"],
    ['complex gt', 'emails gt "x"', "'gt' cannot be used on complex attribute 'emails'"],
    ['boolean column gt', 'active gt "True"', "'gt' cannot be used on a boolean attribute"],
    ['boolean column with text', 'active eq "yes"', 'compared with true or false'],
    ['boolean jsonb gt', 'emails[primary gt "a"]', "'gt' cannot be used on a boolean attribute"],
    ['number co', `${CUSTOM}:level co "5"`, "'co' cannot be used on a numeric attribute"],
    ['dateTime column with text', 'meta.created gt "soon"', 'compared with a date'],
    ['string column with number', 'userName eq 5', 'needs a string value'],
    ['value path on a column', 'userName[value eq "x"]', "a value filter cannot be applied to 'userName'"],
    ['value path on a simple attribute', 'title[value eq "x"]', "needs a complex attribute, and 'title' is not one"],
    ['unknown sub-attribute after a value filter', 'emails[type eq "work"].colour eq "red"', "'emails' has no sub-attribute 'colour'"],
    ['unknown sub-attribute pr after a value filter', 'emails[type eq "work"].colour pr', "'emails' has no sub-attribute 'colour'"],
    ['sub-attribute after a value filter on a column', 'userName[value eq "x"].value eq "x"', "a value filter cannot be applied to 'userName'"],
    ['sub-attribute after a value filter on a simple attribute', 'title[value eq "x"].value eq "x"', "needs a complex attribute, and 'title' is not one"],
    ['ordering a boolean sub-attribute after a value filter', 'emails[type eq "work"].primary gt true', "'gt' cannot be used with a boolean"],
    ['boolean sub-attribute after a value filter with text', 'emails[type eq "work"].primary eq "yes"', 'compared with true or false'],
    ['NUL character (hand-built)', { kind: 'compare', attribute: { attribute: 'title' }, op: 'eq', value: 'a\u0000b' }, 'NUL character'],
    [
      'nested value path (hand-built)',
      {
        kind: 'valuePath',
        attribute: { attribute: 'emails' },
        filter: { kind: 'valuePath', attribute: { attribute: 'x' }, filter: { kind: 'present', attribute: { attribute: 'y' } } },
      },
      'cannot be nested',
    ],
    ['null with gt (hand-built)', { kind: 'compare', attribute: { attribute: 'title' }, op: 'gt', value: null }, "'gt' cannot be used with null"],
  ];

  // Rest parameter: jest would pass its `done` callback to a fourth named parameter on three-element rows.
  it.each(cases)('%s', (_name, filter, message, ...t) => {
    const err = errorOf(() => compile(filter, t[0] ?? target));
    expect(err.status).toBe(400);
    expect(err.scimType).toBe('invalidFilter');
    expect(err.detail).toContain(message);
  });

  it('rejects a bad paramOffset as a server error', () => {
    expect(errorOf(() => compile('title pr', target, -1)).status).toBe(500);
    expect(errorOf(() => compile('title pr', target, 1.5)).status).toBe(500);
  });
});

describe('compileFilterToSql: lenient targets (strict: false)', () => {
  it('compiles unknown attributes with their names as parameters', () => {
    const out = compile('favouriteColour eq "blue"', lenient);
    expect(out.params).toEqual(['favouriteColour', 'blue']);
    expect(out.sql).toContain("(CASE WHEN jsonb_typeof(e1.v) = 'object' THEN e1.v -> 'value' ELSE e1.v END)");
    expectParameterised(out.sql, out.params);
  });

  it('compiles unknown schemas with the URN as a parameter', () => {
    const out = compile('urn:ietf:params:scim:schemas:extension:2.0:Other:x eq "y"', lenient);
    expect(out.params).toEqual(['urn:ietf:params:scim:schemas:extension:2.0:Other', 'x', 'y']);
    expectParameterised(out.sql, out.params);
  });

  it('types unknown attributes by their literal', () => {
    expect(compile('score gt 5', lenient).sql).toContain('::numeric');
    expect(compile('flag eq true', lenient).sql).toContain("IN ('boolean', 'string')");
  });

  it('still rejects id and meta without columns', () => {
    expect(errorOf(() => compile('meta.version eq "x"', lenient)).scimType).toBe('invalidFilter');
  });
});

describe('compileFilterToSql: hostile input stays in parameters', () => {
  const hostile: Array<[string, string, string]> = [
    ['classic injection in a column', 'userName eq "x\'); DROP TABLE users;--"', "x'); DROP TABLE users;--"],
    ['injection in the document', 'displayName eq "\'; SELECT pg_sleep(10); --"', "'; SELECT pg_sleep(10); --"],
    ['tautology in LIKE', "title co \"%' OR '1'='1\"", "\\%' OR '1'='1"],
    ['backslash quote in value path', 'emails[value sw "\\\\\' OR 1=1 --"]', "\\\\' OR 1=1 --"],
    ['placeholder look-alike', 'title eq "$1::text) OR (TRUE"', '$1::text) OR (TRUE'],
    ['dollar quoting', 'title eq "$$; DROP TABLE users; $$"', '$$; DROP TABLE users; $$'],
    ['comment opener', 'nickName eq "/* x */"', '/* x */'],
    ['caseExact column', "externalId eq \"'||pg_read_file('/etc/passwd')||'\"", "'||pg_read_file('/etc/passwd')||'"],
    ['extension', `${ENTERPRISE}:department ne "x\\" OR \\"1\\"=\\"1"`, 'x" OR "1"="1'],
    ['jsonpath look-alike', 'title pr or title eq "strict $.** ? (@ == 1)"', 'strict $.** ? (@ == 1)'],
  ];

  it.each(hostile)('%s', (_name, filter, payload) => {
    const out = compile(filter);
    expect(out.sql).not.toContain(payload);
    for (const fragment of ['DROP', 'pg_sleep', 'pg_read_file', "'1'", '/*', '$$', 'etc']) {
      if (payload.includes(fragment)) expect(out.sql).not.toContain(fragment);
    }
    expect(out.params.some((p) => typeof p === 'string' && p.includes(payload))).toBe(true);
    expectParameterised(out.sql, out.params);
  });

  it('keeps hand-built hostile attribute and schema names in parameters (lenient)', () => {
    const name = "x'); DROP TABLE users;--";
    const urn = "urn:evil'; DELETE FROM users; --";
    for (const node of [
      { kind: 'compare', attribute: { attribute: name }, op: 'eq', value: 'v' },
      { kind: 'present', attribute: { schema: urn, attribute: name, subAttribute: name } },
      { kind: 'valuePath', attribute: { attribute: name }, filter: { kind: 'compare', attribute: { attribute: name }, op: 'co', value: name } },
    ] as FilterNode[]) {
      const out = compile(node, lenient);
      expect(out.sql).not.toContain('DROP');
      expect(out.sql).not.toContain('DELETE');
      expect(out.params).toContain(name);
      expectParameterised(out.sql, out.params);
    }
  });
});

describe('escapeLike', () => {
  it.each([
    ['plain', 'plain'],
    ['100%', '100\\%'],
    ['a_b', 'a\\_b'],
    ['c:\\dir', 'c:\\\\dir'],
    ['%_\\', '\\%\\_\\\\'],
  ])('%s → %s', (input, expected) => {
    expect(escapeLike(input)).toBe(expected);
  });
});

describe('property: SQL text never contains input', () => {
  // Any strings at all as attribute names, URNs and values, including quotes, backslashes, `$1`, `--` and `;`.
  const anyText = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 16 }),
    fc.constantFrom("'", "''", '"', '\\', '$1', '$$', '--', ';', '/*', "x'); DROP TABLE users;--", 'userName', 'emails', 'value', 'type'),
  );
  const known = fc.constantFrom('userName', 'externalId', 'id', 'active', 'title', 'name', 'emails', 'phoneNumbers', 'meta', 'manager', 'employeeNumber');
  const ref: fc.Arbitrary<AttributeReference> = fc
    .record({
      schema: fc.option(fc.oneof(anyText, fc.constant(ENTERPRISE), fc.constant(CUSTOM)), { nil: undefined, freq: 3 }),
      attribute: fc.oneof(known, anyText),
      subAttribute: fc.option(fc.oneof(fc.constantFrom('value', 'type', 'givenName', 'created'), anyText), { nil: undefined, freq: 2 }),
    })
    .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as unknown as AttributeReference);
  const value: fc.Arbitrary<FilterValue> = fc.oneof(
    anyText,
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom('2020-01-01T00:00:00Z', 'True'),
  );
  const leaf: fc.Arbitrary<FilterNode> = fc.oneof(
    fc.record({ kind: fc.constant('present' as const), attribute: ref }),
    fc.record({
      kind: fc.constant('compare' as const),
      attribute: ref,
      op: fc.constantFrom<CompareOperator>('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'),
      value,
    }),
  );
  const tree = fc.letrec<{ node: FilterNode }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.record({ kind: fc.constant('valuePath' as const), attribute: ref, filter: tie('node') }),
      fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), left: tie('node'), right: tie('node') }),
      fc.record({ kind: fc.constant('not' as const), filter: tie('node') }),
    ),
  })).node;

  it.each<[string, SqlFilterTarget, number]>([
    ['lenient', lenient, 300],
    ['strict', target, 20],
  ])('%s target: compiles to fixed SQL with every input in params, or rejects with invalidFilter', (_name, t, minimum) => {
    let compiled = 0;
    fc.assert(
      fc.property(tree, fc.nat(5), (node, offset) => {
        let out;
        try {
          out = compileFilterToSql(node, t, offset);
        } catch (e) {
          expect(e).toBeInstanceOf(ScimError);
          expect((e as ScimError).status).toBe(400);
          expect((e as ScimError).scimType).toBe('invalidFilter');
          return;
        }
        compiled++;
        expectParameterised(out.sql, out.params, offset);
      }),
      { numRuns: 1500 },
    );
    // The property must not hold vacuously: enough trees compile.
    expect(compiled).toBeGreaterThan(minimum);
  });
});
