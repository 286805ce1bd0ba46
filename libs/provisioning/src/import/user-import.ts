import { ImportUserPayload, LOGIN_METHODS, LoginMethod } from '@scimflow/contracts';
import { assertSafeJson, ENTERPRISE_USER_SCHEMA, ScimError, USER_SCHEMA } from '@scimflow/scim';
import { assertDocumentSize } from '../document-size';

/**
 * Bulk import of a product's existing users (admin API and `scimctl users import`): CSV or JSON in, one
 * ImportUserPayload per row out, or a per-row error. Pure; the callers submit the rows as `import` commands.
 */

/** Largest import accepted in one request; bigger files go in several (scimctl splits them). */
export const MAX_IMPORT_ROWS = 10_000;

/** One row of an import: what to submit, or why the row cannot be; `name` identifies it in the report (userName, displayName). */
export type ImportRow<P = ImportUserPayload> = { row: number; name?: string; resourceId?: string } & ({ payload: P } | { error: string; status?: number });

/**
 * CSV columns (header row required, names case-insensitive, order free). `userName` is required; unknown
 * columns are refused so that a typo does not silently drop data.
 */
export const CSV_COLUMNS = [
  'userName',
  'email',
  'givenName',
  'familyName',
  'displayName',
  'externalId',
  'active',
  'userType',
  'title',
  'preferredLanguage',
  'employeeNumber',
  'department',
  'loginMethod',
] as const;
type CsvColumn = (typeof CSV_COLUMNS)[number];

/** Rows of an RFC 4180 CSV text: quoted fields may hold commas, quotes ("") and line breaks; CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a BOM, as spreadsheet exports write
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    if (!(row.length === 1 && row[0] === '')) rows.push(row); // blank lines are not rows
    row = [];
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') field += text[++i];
      else quoted = false;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n') endRow();
    else if (c === '\r' && text[i + 1] === '\n') continue;
    else field += c;
  }
  if (quoted) throw ScimError.badRequest('invalidSyntax', 'CSV: a quoted field is not closed');
  if (field !== '' || row.length) endRow();
  return rows;
}

/** Import rows from CSV text (see CSV_COLUMNS); row numbers count data rows from 1. */
export function importRowsFromCsv(text: string): ImportRow[] {
  const [header, ...data] = parseCsv(text);
  if (!header) throw ScimError.badRequest('invalidValue', 'CSV: empty file; the first line must name the columns');
  const columns = header.map((h) => {
    const name = CSV_COLUMNS.find((c) => c.toLowerCase() === h.trim().toLowerCase());
    if (!name) throw ScimError.badRequest('invalidValue', `CSV: unknown column "${h}"; known columns: ${CSV_COLUMNS.join(', ')}`);
    return name;
  });
  if (new Set(columns).size !== columns.length) throw ScimError.badRequest('invalidValue', 'CSV: a column is named twice');
  if (!columns.includes('userName')) throw ScimError.badRequest('invalidValue', 'CSV: the userName column is required');
  checkSize(data.length);
  return data.map((cells, i) => {
    const row = i + 1;
    if (cells.length !== columns.length) return { row, error: `has ${cells.length} fields; the header has ${columns.length}` };
    const values = Object.fromEntries(columns.map((c, j) => [c, cells[j].trim()])) as Partial<Record<CsvColumn, string>>;
    try {
      return { row, name: values.userName, payload: payloadFromCsv(values) };
    } catch (e) {
      if (e instanceof ScimError) return { row, name: values.userName, error: e.detail ?? e.message, status: e.status };
      throw e;
    }
  });
}

/**
 * Import rows from JSON: `{ "users": [...] }` or a bare array; each element a SCIM User document (schemas
 * optional) with an optional `loginMethod`.
 */
export function importRowsFromJson(body: unknown): ImportRow[] {
  const list = Array.isArray(body) ? body : (body as { users?: unknown } | null)?.users;
  if (!Array.isArray(list)) throw ScimError.badRequest('invalidValue', 'import: expected {"users": [...]} or an array of users');
  checkSize(list.length);
  return list.map((item, i) => {
    const row = i + 1;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return { row, error: 'is not a JSON object' };
    const { loginMethod, ...rest } = item as Record<string, unknown>;
    const userName = typeof rest.userName === 'string' ? rest.userName : undefined;
    try {
      const document = { ...rest, schemas: Array.isArray(rest.schemas) ? rest.schemas : schemasOf(rest) };
      return { row, name: userName, payload: payload(document, loginMethod) };
    } catch (e) {
      if (e instanceof ScimError) return { row, name: userName, error: e.detail ?? e.message, status: e.status };
      throw e;
    }
  });
}

function payloadFromCsv(v: Partial<Record<CsvColumn, string>>): ImportUserPayload {
  const doc: Record<string, unknown> = { userName: v.userName };
  if (v.email) doc.emails = [{ type: 'work', value: v.email, primary: true }];
  if (v.givenName || v.familyName) doc.name = { ...(v.givenName ? { givenName: v.givenName } : {}), ...(v.familyName ? { familyName: v.familyName } : {}) };
  for (const k of ['displayName', 'externalId', 'userType', 'title', 'preferredLanguage'] as const) if (v[k]) doc[k] = v[k];
  if (v.active) doc.active = bool(v.active);
  if (v.employeeNumber || v.department)
    doc[ENTERPRISE_USER_SCHEMA] = { ...(v.employeeNumber ? { employeeNumber: v.employeeNumber } : {}), ...(v.department ? { department: v.department } : {}) };
  doc.schemas = schemasOf(doc);
  return payload(doc, v.loginMethod || undefined);
}

function payload(document: Record<string, unknown>, loginMethod: unknown): ImportUserPayload {
  assertSafeJson(document, { label: 'user' });
  assertDocumentSize(document, 'User');
  if (typeof document.userName !== 'string' || document.userName.trim() === '') throw ScimError.badRequest('invalidValue', 'userName is required');
  if (loginMethod === undefined || loginMethod === null) return { document };
  if (!(LOGIN_METHODS as readonly unknown[]).includes(loginMethod))
    throw ScimError.badRequest('invalidValue', `loginMethod must be one of ${LOGIN_METHODS.join(', ')}`);
  return { document, loginMethod: loginMethod as LoginMethod };
}

function schemasOf(doc: Record<string, unknown>): string[] {
  return [USER_SCHEMA, ...Object.keys(doc).filter((k) => k.toLowerCase().startsWith('urn:') && k !== USER_SCHEMA)];
}

function bool(text: string): boolean {
  const t = text.toLowerCase();
  if (t === 'true' || t === '1' || t === 'yes') return true;
  if (t === 'false' || t === '0' || t === 'no') return false;
  throw ScimError.badRequest('invalidValue', `active must be true or false: ${text}`);
}

export function checkSize(n: number): void {
  if (n === 0) throw ScimError.badRequest('invalidValue', 'import: nothing to import');
  if (n > MAX_IMPORT_ROWS) throw ScimError.badRequest('invalidValue', `import: ${n} users; at most ${MAX_IMPORT_ROWS} per request (split the file)`);
}

/** The result of one imported row, as the admin API and scimctl report it. */
export interface ImportRowResult {
  row: number;
  /** the row's userName (users) or displayName (groups) */
  name?: string;
  /** imported: created (a user: unlinked); existing: the name (or id, or unique work email) is taken, nothing changed; failed: see error */
  result: 'imported' | 'existing' | 'failed';
  status: number;
  id?: string;
  error?: string;
}

export function importRowResult<P>(row: ImportRow<P>, outcome: { status: number; id?: string; detail?: string }): ImportRowResult {
  const result = outcome.status === 201 ? 'imported' : outcome.status === 409 ? 'existing' : 'failed';
  return {
    row: row.row,
    name: row.name,
    result,
    status: outcome.status,
    ...(outcome.id ? { id: outcome.id } : {}),
    ...(outcome.detail && result !== 'imported' ? { error: outcome.detail } : {}),
  };
}

export function importSummary(results: ImportRowResult[]) {
  const count = (r: ImportRowResult['result']) => results.filter((x) => x.result === r).length;
  return { total: results.length, imported: count('imported'), existing: count('existing'), failed: count('failed'), results };
}

/** How an import row's command came out: the outcome's status, the user id on success, the error detail otherwise. */
export type ImportSubmit<P = ImportUserPayload> = (payload: P, row: ImportRow<P>) => Promise<{ status: number; id?: string; detail?: string }>;

/**
 * Submits the valid rows as `import` commands, `concurrency` at a time, and reports every row in order (invalid
 * rows as failed with their error, 400). Safe to re-run: rows imported before come back as `existing`.
 */
export async function runImport<P>(rows: ImportRow<P>[], submit: ImportSubmit<P>, concurrency = 32) {
  const results: ImportRowResult[] = new Array(rows.length);
  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const i = next++;
      const row = rows[i];
      results[i] =
        'error' in row ? importRowResult(row, { status: row.status ?? 400, detail: row.error }) : importRowResult(row, await submit(row.payload, row));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, worker));
  return importSummary(results);
}
