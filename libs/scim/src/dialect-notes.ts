import { isPlainObject } from './resource/values';

/**
 * The shapes of Microsoft Entra's SCIM dialect in one request that scimflow normalises instead of refusing them (see
 * docs/entra-compat.md), one readable line each, for the request log: an operator reading a request sees why it did
 * what it did. Pure and schema-free: it reads the request as sent and never fails, whatever the body holds.
 */
export function dialectNotes(method: string, pathAndQuery: string, body: unknown): string[] {
  const notes: string[] = [];
  const q = pathAndQuery.indexOf('?');
  const path = q < 0 ? pathAndQuery : pathAndQuery.slice(0, q);
  if (q >= 0) queryNotes(pathAndQuery.slice(q + 1), notes);
  const m = method.toUpperCase();
  const resource = /\/(Users|Groups)(\/|$)/.exec(path)?.[1];
  if (!resource || !isPlainObject(body)) return unique(notes);
  if (m === 'PATCH') patchNotes(body, notes);
  else if (m === 'POST' || m === 'PUT') {
    if (/\/\.search$/.test(path)) {
      if (typeof body.filter === 'string') filterNotes(body.filter, notes);
    } else resourceNotes(body, notes);
  }
  return unique(notes);
}

/** Boolean attributes of the core and enterprise schemas Entra sends as "True"/"False" strings. */
const BOOLEAN_ATTRIBUTES = new Set(['active', 'primary']);
const ROLE_ATTRIBUTES = new Set(['roles', 'entitlements']);
const ADSCIM_GROUP = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';
const CANONICAL_OPS = new Set(['add', 'remove', 'replace']);

function queryNotes(query: string, notes: string[]): void {
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(query);
  } catch {
    return;
  }
  if ([...params.keys()].some((k) => k.toLowerCase() === 'aadoptscim062020')) notes.push('aadOptscim062020 flag in the query ignored');
  const filter = params.get('filter');
  if (filter) filterNotes(filter, notes);
}

function filterNotes(filter: string, notes: string[]): void {
  const valuePath = /([A-Za-z][\w:.-]*)\[[^\]]*\]\.([A-Za-z]\w*)/.exec(filter);
  if (valuePath) notes.push(`value-path sub-attribute filter ${valuePath[0]} read as "some ${valuePath[1]} element matching the filter has ${valuePath[2]} …"`);
  const bool = /\b(active|primary)\s+(eq|ne)\s+"(true|false)"/i.exec(filter);
  if (bool) notes.push(`${bool[1]} compared with the string "${bool[3]}" read as ${bool[3].toLowerCase()}`);
  if (/(^|[\s(])manager\s+eq\s/i.test(filter)) notes.push('filter "manager eq …" compares manager.value');
}

function patchNotes(body: Record<string, unknown>, notes: string[]): void {
  const operations = body.Operations ?? body.operations;
  if (!Array.isArray(operations)) return;
  for (const raw of operations) {
    if (!isPlainObject(raw)) continue;
    const op = typeof raw.op === 'string' ? raw.op : '';
    const lower = op.toLowerCase();
    if (op && op !== lower && CANONICAL_OPS.has(lower)) notes.push(`op "${op}" read as "${lower}"`);
    const path = typeof raw.path === 'string' ? raw.path.trim() : '';
    const value = raw.value;
    if (!path) {
      if ((lower === 'replace' || lower === 'add') && isPlainObject(value)) noPathNotes(lower, value, notes);
      continue;
    }
    const attribute = attributeOf(path);
    if (BOOLEAN_ATTRIBUTES.has(attribute) || BOOLEAN_ATTRIBUTES.has(lastSegment(path))) booleanString(path, value, notes);
    if ((lower === 'add' || lower === 'replace') && path.includes('[')) {
      notes.push(`${op} on the filtered path ${path} creates the element if none matches`);
      booleanFilter(path, notes);
    }
    if (lower === 'remove' && attribute === 'members' && !path.includes('[') && Array.isArray(value))
      notes.push(`Remove of members with a value list removes only those ${value.length} member(s), not all`);
    if (lower === 'remove' && attribute === 'members' && path.includes('[')) notes.push(`Remove on the filtered path ${path} removes only the matching member`);
    if (/^manager(\.|$)/i.test(path)) notes.push(`bare path "${path}" resolved to the enterprise extension's manager`);
    if (attribute === 'manager' || path.toLowerCase().endsWith(':user:manager')) managerValue(value, notes);
    const whole = !path.includes('[') && lastSegment(path) === attribute;
    if (ROLE_ATTRIBUTES.has(attribute) && whole && lower !== 'remove') roleNotes(attribute, value, notes);
    if (ROLE_ATTRIBUTES.has(attribute) && lower === 'remove' && value !== undefined) notes.push(`Remove of ${attribute} with a value removes by role name`);
    if (isPlainObject(value)) objectBooleans(value, path, notes);
  }
}

function noPathNotes(op: string, value: Record<string, unknown>, notes: string[]): void {
  for (const [key, v] of Object.entries(value)) {
    if (key.includes('[')) notes.push(`no-path ${op} key "${key}" resolved as a filtered path (creates the element if none matches)`);
    else if (key.includes('.') && !key.toLowerCase().startsWith('urn:'))
      notes.push(`no-path ${op} key "${key}" resolved as a path, not stored as an attribute of that name`);
    else if (isFlattenedUrn(key, v)) notes.push(`no-path ${op} key "${key}" resolved as an extension attribute`);
    const attribute = attributeOf(key);
    if (BOOLEAN_ATTRIBUTES.has(attribute)) booleanString(key, v, notes);
    if (attribute === 'manager') managerValue(v, notes);
    if (ROLE_ATTRIBUTES.has(attribute)) roleNotes(attribute, v, notes);
  }
}

function resourceNotes(body: Record<string, unknown>, notes: string[]): void {
  const schemas = Array.isArray(body.schemas) ? body.schemas : [];
  if (schemas.includes(ADSCIM_GROUP)) notes.push('ADSCIM group schema URN accepted as an empty extension');
  for (const [key, v] of Object.entries(body)) {
    if (isFlattenedUrn(key, v)) notes.push(`flattened extension attribute "${key}" stored under its extension`);
    if (BOOLEAN_ATTRIBUTES.has(key)) booleanString(key, v, notes);
    if (ROLE_ATTRIBUTES.has(key)) roleNotes(key, v, notes);
    if (isPlainObject(v) && key.toLowerCase().startsWith('urn:') && v.manager !== undefined) managerValue(v.manager, notes);
  }
  if (Array.isArray(body.members) && body.members.some((m) => isPlainObject(m) && m.$ref === null))
    notes.push('members with "$ref": null read as unassigned $ref');
  for (const attribute of ['emails', 'phoneNumbers', 'addresses'])
    if (Array.isArray(body[attribute]))
      for (const e of body[attribute] as unknown[]) if (isPlainObject(e)) booleanString(`${attribute}.primary`, e.primary, notes);
}

function booleanString(path: string, value: unknown, notes: string[]): void {
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) notes.push(`${path} "${value}" read as ${value.toLowerCase()}`);
}

function booleanFilter(path: string, notes: string[]): void {
  const m = /\bprimary\s+eq\s+"(true|false)"/i.exec(path);
  if (m) notes.push(`primary eq "${m[1]}" in ${path} read as ${m[1].toLowerCase()}`);
}

function objectBooleans(value: Record<string, unknown>, path: string, notes: string[]): void {
  for (const [k, v] of Object.entries(value)) if (BOOLEAN_ATTRIBUTES.has(k)) booleanString(`${path}.${k}`, v, notes);
}

function managerValue(value: unknown, notes: string[]): void {
  if (typeof value === 'string') notes.push(value === '' ? 'manager "" (empty bare id) read as unassigned' : 'manager as a bare id read as {"value": id}');
  else if (Array.isArray(value) && value.length === 1) notes.push('manager as an array of one read as its one value');
}

function roleNotes(attribute: string, value: unknown, notes: string[]): void {
  const elements = Array.isArray(value) ? value : [value];
  if (!Array.isArray(value) && value !== undefined && value !== null) notes.push(`${attribute}: one value where a list is expected, read as a list of one`);
  for (const e of elements) {
    if (typeof e === 'string') notes.push(`${attribute}: bare role name "${e}" read as {"value": …}`);
    else if (isPlainObject(e)) {
      if (typeof e.value === 'string' && e.value.trim().startsWith('{')) notes.push(`${attribute}: JSON-encoded role assignment in value decoded`);
      if (e.displayName !== undefined && e.display === undefined) notes.push(`${attribute}: displayName read as display`);
      if (typeof e.primary === 'string') booleanString(`${attribute}.primary`, e.primary, notes);
    }
  }
}

/** `urn:…:User:department` holding a plain value: an extension attribute flattened into the body. */
function isFlattenedUrn(key: string, value: unknown): boolean {
  return /^urn:.+:(User|Group):[A-Za-z][\w.]*$/i.test(key) && !isPlainObject(value);
}

/** The attribute a path names, without URN, filter or sub-attribute: `emails[type eq "work"].value` → `emails`. */
function attributeOf(path: string): string {
  let p = path;
  const urn = /^urn:.+:(User|Group):/i.exec(p);
  if (urn) p = p.slice(urn[0].length);
  return p.split(/[[.]/)[0];
}

function lastSegment(path: string): string {
  const closing = path.lastIndexOf(']');
  const tail = path.slice(closing + 1);
  const dot = tail.lastIndexOf('.');
  return dot < 0 ? attributeOf(path) : tail.slice(dot + 1);
}

function unique(notes: string[]): string[] {
  return [...new Set(notes)];
}
