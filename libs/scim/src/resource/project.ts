import { AttributeDefinition, SchemaDefinition } from '../schema/attribute';
import { attributesOf, attributesWithValues, resolveSimplePath } from './schema-index';
import { ResourceTypeSchemas } from './types';
import { isAssigned, isPlainObject, ownValue } from './values';

export interface ProjectionOptions {
  attributes?: string[];
  excludedAttributes?: string[];
}

/**
 * Per attribute: the whole attribute was named, or these sub-attributes (canonical names). Schemas named as a whole
 * are kept too, for the undeclared attributes of open schemas, which exist only in the data.
 */
interface Selection {
  attributes: Map<AttributeDefinition, 'all' | Set<string>>;
  schemas: Set<SchemaDefinition>;
}

function selected(selection: Selection, schema: SchemaDefinition, def: AttributeDefinition): 'all' | Set<string> | undefined {
  return selection.attributes.get(def) ?? (selection.schemas.has(schema) ? 'all' : undefined);
}

/**
 * Applies `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9) to a resource, driven by `returned`:
 * `always` is always present, `never` never, `request` only when named in `attributes`, `default` unless narrowed away.
 * Names are case-insensitive and may be `attr`, `attr.sub`, URN-prefixed, or a bare extension URN.
 * Unknown names are ignored (RFC 7644 does not make them an error, and rejecting them would break clients
 * that ask for attributes another server has). Attributes not in the definitions are dropped; `schemas` is kept.
 */
export function projectResource(resource: Record<string, unknown>, types: ResourceTypeSchemas, opts: ProjectionOptions = {}): Record<string, unknown> {
  const requested = opts.attributes?.length ? select(types, opts.attributes) : undefined;
  const excluded = opts.excludedAttributes?.length ? select(types, opts.excludedAttributes) : { attributes: new Map(), schemas: new Set<SchemaDefinition>() };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resource)) {
    if (key === 'schemas') {
      out[key] = value;
      continue;
    }
    const extension = types.extensions.find((s) => s.id === key);
    if (extension) {
      if (!isPlainObject(value)) continue;
      const projected = projectAttributes(extension, value, attributesWithValues(types, extension, value), requested, excluded);
      if (Object.keys(projected).length) out[key] = projected;
      continue;
    }
    const def = attributesOf(types, types.core).find((d) => d.name === key);
    if (!def) continue;
    const projected = projectAttribute(types.core, def, value, requested, excluded);
    if (projected !== undefined) out[key] = projected;
  }
  return out;
}

function projectAttributes(
  schema: SchemaDefinition,
  values: Record<string, unknown>,
  defs: readonly AttributeDefinition[],
  requested: Selection | undefined,
  excluded: Selection,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const def = defs.find((d) => d.name === key);
    const projected = def && projectAttribute(schema, def, value, requested, excluded);
    if (projected !== undefined) out[key] = projected;
  }
  return out;
}

function projectAttribute(schema: SchemaDefinition, def: AttributeDefinition, value: unknown, requested: Selection | undefined, excluded: Selection): unknown {
  if (def.returned === 'never' || !isAssigned(value)) return undefined;
  if (def.returned === 'always') return pickSubs(def, value, undefined, undefined, true);
  const want = requested && selected(requested, schema, def);
  if (requested && !want) return undefined;
  if (!requested && def.returned === 'request') return undefined;
  const drop = selected(excluded, schema, def);
  if (drop === 'all') return undefined;
  return pickSubs(def, value, want === 'all' ? undefined : want, drop, want !== undefined);
}

/** Narrows a complex value to the wanted sub-attributes (plus `always` ones) minus dropped ones; other types pass. */
function pickSubs(
  def: AttributeDefinition,
  value: unknown,
  want: Set<string> | undefined,
  drop: Set<string> | 'all' | undefined,
  explicitlyRequested: boolean,
): unknown {
  if (def.type !== 'complex') return value;
  const pickOne = (el: unknown) => {
    if (!isPlainObject(el)) return el;
    const out: Record<string, unknown> = {};
    for (const sub of def.subAttributes ?? []) {
      if (!Object.hasOwn(el, sub.name) || sub.returned === 'never') continue;
      const always = sub.returned === 'always';
      if (!always && want && !want.has(sub.name)) continue;
      if (!always && drop instanceof Set && drop.has(sub.name)) continue;
      if (!always && sub.returned === 'request' && !(explicitlyRequested && want?.has(sub.name))) continue;
      out[sub.name] = ownValue(el, sub.name);
    }
    return Object.keys(out).length ? out : undefined;
  };
  if (!def.multiValued) return pickOne(value);
  const list = (value as unknown[]).map(pickOne).filter((el) => el !== undefined);
  return list.length ? list : undefined;
}

function select(types: ResourceTypeSchemas, names: string[]): Selection {
  const selection = new Map<AttributeDefinition, 'all' | Set<string>>();
  const schemas = new Set<SchemaDefinition>();
  const all = (def: AttributeDefinition) => selection.set(def, 'all');
  for (const raw of names) {
    const name = raw.trim();
    const path = name && resolveSimplePath(types, name);
    if (!path) continue;
    if (path.kind === 'schema') {
      attributesOf(types, path.schema).forEach(all);
      schemas.add(path.schema);
      continue;
    }
    if (!path.sub) {
      all(path.attr);
      continue;
    }
    const current = selection.get(path.attr);
    if (current === 'all') continue;
    const subs = current ?? new Set<string>();
    subs.add(path.sub.name);
    selection.set(path.attr, subs);
  }
  return { attributes: selection, schemas };
}
