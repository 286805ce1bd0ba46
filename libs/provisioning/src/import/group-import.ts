import { ImportGroupPayload, isUuid } from '@scimflow/contracts';
import { assertSafeJson, GROUP_SCHEMA, ScimError } from '@scimflow/scim';
import { checkSize, ImportRow, parseCsv } from './user-import';

/**
 * Import of a product's own groups (admin API and `scimctl groups import`): the groups Entra's users are matched to
 * by exact display name (Segura, the workforce platform), or the groups SureCloud's userType directive names by id
 * while group provisioning is off for that tenant. Pure; the callers submit one Group `import` command per row.
 */

export type GroupImportRow = ImportRow<ImportGroupPayload>;

/** CSV columns: `displayName` (or `name`), optional `id` (or `groupId`: the product's own id, a UUID) and `externalId`. */
export function groupRowsFromCsv(text: string): GroupImportRow[] {
  const [header, ...data] = parseCsv(text);
  if (!header) throw ScimError.badRequest('invalidValue', 'CSV: empty file; the first line must name the columns');
  const names = header.map((h) => canonical(h.trim()));
  const unknown = header.filter((_, i) => names[i] === undefined);
  if (unknown.length)
    throw ScimError.badRequest(
      'invalidValue',
      `CSV: unknown column "${unknown[0]}"; known columns: id (or groupId), displayName (or name), externalId, description`,
    );
  if (!names.includes('displayName')) throw ScimError.badRequest('invalidValue', 'CSV: the displayName (or name) column is required');
  checkSize(data.length);
  return data.map((cells, i) => {
    if (cells.length !== names.length) return { row: i + 1, error: `has ${cells.length} fields; the header has ${names.length}` };
    return groupRow(i + 1, Object.fromEntries(names.map((n, j) => [n!, cells[j].trim()])));
  });
}

/** JSON: `{ "groups": [...] }` or an array of `{ id|groupId?, displayName|name, externalId?, description? }` (SureCloud's export works as is). */
export function groupRowsFromJson(body: unknown): GroupImportRow[] {
  const list = Array.isArray(body) ? body : (body as { groups?: unknown } | null)?.groups;
  if (!Array.isArray(list)) throw ScimError.badRequest('invalidValue', 'import: expected {"groups": [...]} or an array of groups');
  checkSize(list.length);
  return list.map((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return { row: i + 1, error: 'is not a JSON object' };
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(item)) {
      const name = canonical(k);
      if (!name) return { row: i + 1, error: `unknown field "${k}"` };
      fields[name] = v;
    }
    return groupRow(i + 1, fields);
  });
}

function canonical(name: string): 'id' | 'displayName' | 'externalId' | 'description' | undefined {
  const n = name.toLowerCase();
  if (n === 'id' || n === 'groupid') return 'id';
  if (n === 'displayname' || n === 'name') return 'displayName';
  if (n === 'externalid') return 'externalId';
  if (n === 'description') return 'description'; // the product's text; SCIM Groups have no such attribute, so it is not stored
  return undefined;
}

function groupRow(row: number, f: Record<string, unknown>): GroupImportRow {
  try {
    assertSafeJson(f, { label: `group of row ${row}` });
  } catch (e) {
    return { row, error: (e as ScimError).detail };
  }
  const displayName = typeof f.displayName === 'string' ? f.displayName.trim() : '';
  if (!displayName) return { row, error: 'displayName (or name) is required' };
  const id = f.id === undefined || f.id === '' ? undefined : f.id;
  if (id !== undefined && !isUuid(id)) return { row, name: displayName, error: `id must be a UUID: ${JSON.stringify(id)}` };
  if (f.externalId !== undefined && f.externalId !== '' && typeof f.externalId !== 'string')
    return { row, name: displayName, error: 'externalId must be a string' };
  const document = { schemas: [GROUP_SCHEMA], displayName, ...(typeof f.externalId === 'string' && f.externalId ? { externalId: f.externalId } : {}) };
  return { row, name: displayName, resourceId: id?.toLowerCase(), payload: { document } };
}
