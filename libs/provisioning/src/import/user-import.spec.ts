import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from '@scimflow/scim';
import { importRowResult, importRowsFromCsv, importRowsFromJson, importSummary, MAX_IMPORT_ROWS, parseCsv, runImport } from './user-import';

describe('parseCsv (RFC 4180)', () => {
  it.each<[string, string, string[][]]>([
    [
      'plain rows, LF',
      'a,b\n1,2\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'CRLF and no final newline',
      'a,b\r\n1,2',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'quoted commas, quotes and line breaks',
      'a,b\n"x, y","say ""hi""\nthere"\n',
      [
        ['a', 'b'],
        ['x, y', 'say "hi"\nthere'],
      ],
    ],
    [
      'empty fields',
      'a,b,c\n,,\n',
      [
        ['a', 'b', 'c'],
        ['', '', ''],
      ],
    ],
    ['blank lines skipped', 'a\n\n1\n\n', [['a'], ['1']]],
    [
      'a byte order mark',
      '\ufeffa,b\n1,2',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    ['a quote inside an unquoted field is data', 'a\nO"Brien', [['a'], ['O"Brien']]],
  ])('%s', (_, text, rows) => expect(parseCsv(text)).toEqual(rows));

  it('refuses an unclosed quote', () => expect(() => parseCsv('a\n"open')).toThrow(/not closed/));
});

describe('importRowsFromCsv', () => {
  it('maps columns to a SCIM user (work email, name, enterprise attributes) with the login method aside', () => {
    const [row] = importRowsFromCsv(
      'UserName,email,givenName,familyName,displayName,externalId,active,userType,department,employeeNumber,loginMethod\n' +
        'ada@contoso.example,Ada@Contoso.example,Ada,Lovelace,Ada L,E-1,false,Premium,R&D,42,builtIn\n',
    );
    expect(row).toEqual({
      row: 1,
      name: 'ada@contoso.example',
      payload: {
        loginMethod: 'builtIn',
        document: {
          schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
          userName: 'ada@contoso.example',
          emails: [{ type: 'work', value: 'Ada@Contoso.example', primary: true }],
          name: { givenName: 'Ada', familyName: 'Lovelace' },
          displayName: 'Ada L',
          externalId: 'E-1',
          active: false,
          userType: 'Premium',
          [ENTERPRISE_USER_SCHEMA]: { employeeNumber: '42', department: 'R&D' },
        },
      },
    });
  });

  it('leaves empty cells out and the login method to the default', () => {
    const [row] = importRowsFromCsv('userName,email,loginMethod\nbob,,\n');
    expect(row).toEqual({ row: 1, name: 'bob', payload: { document: { schemas: [USER_SCHEMA], userName: 'bob' } } });
  });

  it('reports bad rows one by one and keeps the good ones', () => {
    const rows = importRowsFromCsv('userName,active,loginMethod\nann,true,sso\n,true,sso\ncid,maybe,sso\ndan,true,password\neve,true\n');
    expect(rows.map((r) => ('error' in r ? `${r.row}: ${r.error}` : `${r.row}: ok`))).toEqual([
      '1: ok',
      '2: userName is required',
      '3: active must be true or false: maybe',
      '4: loginMethod must be one of sso, builtIn',
      '5: has 2 fields; the header has 3',
    ]);
  });

  it.each<[string, string, RegExp]>([
    ['an unknown column', 'userName,mail\nx,y', /unknown column "mail"/],
    ['no userName column', 'email\nx@y', /userName column is required/],
    ['a column twice', 'userName,username\nx,y', /named twice/],
    ['an empty file', '', /empty file/],
    ['a header only', 'userName\n', /nothing to import/],
  ])('refuses the whole file with %s', (_, text, message) => expect(() => importRowsFromCsv(text)).toThrow(message));

  it(`refuses more than ${MAX_IMPORT_ROWS} rows`, () => {
    const text = 'userName\n' + Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => `u${i}`).join('\n');
    expect(() => importRowsFromCsv(text)).toThrow(/at most 10000/);
  });
});

describe('importRowsFromJson', () => {
  it('takes {users: [...]} or an array; schemas are filled in from extension keys; loginMethod is set aside', () => {
    const user = { userName: 'ada', loginMethod: 'sso', [ENTERPRISE_USER_SCHEMA]: { department: 'Ops' } };
    const expected = [
      {
        row: 1,
        name: 'ada',
        payload: {
          loginMethod: 'sso',
          document: { userName: 'ada', schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA], [ENTERPRISE_USER_SCHEMA]: { department: 'Ops' } },
        },
      },
    ];
    expect(importRowsFromJson({ users: [user] })).toEqual(expected);
    expect(importRowsFromJson([user])).toEqual(expected);
  });

  it('keeps given schemas and reports bad elements per row', () => {
    const rows = importRowsFromJson([{ schemas: [USER_SCHEMA], userName: 'a' }, 'x', { userName: '' }, { userName: 'b', loginMethod: 'SSO' }]);
    expect(rows.map((r) => ('error' in r ? r.error : 'ok'))).toEqual([
      'ok',
      'is not a JSON object',
      'userName is required',
      'loginMethod must be one of sso, builtIn',
    ]);
  });

  it.each([[{}], [{ users: 'x' }], [null], [{ users: [] }]])('refuses %j', (body) =>
    expect(() => importRowsFromJson(body)).toThrow(/expected|nothing to import/),
  );
});

describe('import results', () => {
  it('201 imported, 409 existing, anything else failed; a summary counts them', () => {
    const results = [
      importRowResult({ row: 1, name: 'a', payload: { document: {} } }, { status: 201, id: 'id-a' }),
      importRowResult({ row: 2, name: 'b', payload: { document: {} } }, { status: 409, detail: 'userName is already taken' }),
      importRowResult({ row: 3, name: 'c', payload: { document: {} } }, { status: 400, detail: 'missing attributes' }),
    ];
    expect(results).toEqual([
      { row: 1, name: 'a', result: 'imported', status: 201, id: 'id-a' },
      { row: 2, name: 'b', result: 'existing', status: 409, error: 'userName is already taken' },
      { row: 3, name: 'c', result: 'failed', status: 400, error: 'missing attributes' },
    ]);
    expect(importSummary(results)).toMatchObject({ total: 3, imported: 1, existing: 1, failed: 1 });
  });
});

describe('runImport', () => {
  it('submits valid rows (bounded concurrency), reports invalid ones, keeps row order', async () => {
    const rows = importRowsFromCsv('userName,loginMethod\na,sso\nb,bad\nc,builtIn\nd,\n');
    let inFlight = 0;
    let peak = 0;
    const submitted: string[] = [];
    const summary = await runImport(
      rows,
      async (payload) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setImmediate(r));
        inFlight--;
        const name = String(payload.document.userName);
        submitted.push(name);
        return name === 'c' ? { status: 409, detail: 'userName is already taken' } : { status: 201, id: `id-${name}` };
      },
      2,
    );
    expect(submitted.sort()).toEqual(['a', 'c', 'd']);
    expect(peak).toBe(2);
    expect(summary).toMatchObject({ total: 4, imported: 2, existing: 1, failed: 1 });
    expect(summary.results.map((r) => [r.row, r.result])).toEqual([
      [1, 'imported'],
      [2, 'failed'],
      [3, 'existing'],
      [4, 'imported'],
    ]);
  });
});

describe('unsafe and oversized rows', () => {
  it('fail per row: NUL or lone surrogate 400 naming the place, a document over the limit 413; the other rows stay', () => {
    const rows = importRowsFromJson([
      { userName: 'ok' },
      { userName: '\u0000' },
      { userName: 'a', name: { givenName: 'x\ud800' } },
      { userName: 'big', title: 'x'.repeat(300_000) },
    ]);
    expect('payload' in rows[0]).toBe(true);
    expect(rows.slice(1).map((r) => ('error' in r ? [r.status, r.error] : r))).toEqual([
      [400, 'The user contains a NUL character (U+0000) at /userName'],
      [400, 'The user contains a lone surrogate (U+D800) at /name/givenName'],
      [413, expect.stringMatching(/User document is \d+ bytes; at most 262144/)],
    ]);
    const csv = importRowsFromCsv('userName,title\nok,t\nbad,a\u0000b\n');
    expect(csv.map((r) => ('error' in r ? r.error : 'ok'))).toEqual(['ok', 'The user contains a NUL character (U+0000) at /title']);
  });
});
