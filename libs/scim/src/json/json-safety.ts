import { ScimError } from '../errors';

/** Deepest nesting of arrays and objects accepted in a request body (`{}` is depth 1). */
export const MAX_JSON_DEPTH = 64;

/**
 * What a string may not contain although JSON allows it: U+0000 (Postgres text and jsonb refuse it) and lone UTF-16
 * surrogates (not encodable as UTF-8: Postgres refuses them, Kafka records would carry U+FFFD instead).
 */
export function unsafeCharacter(s: string): string | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return 'a NUL character (U+0000)';
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return `a lone surrogate (U+${c.toString(16).toUpperCase()})`;
    } else if (c >= 0xdc00 && c <= 0xdfff) return `a lone surrogate (U+${c.toString(16).toUpperCase()})`;
  }
  return undefined;
}

/** A JSON pointer (RFC 6901) from its segments; long pointers are shortened, they only name a place in an error. */
function pointer(segments: (string | number)[]): string {
  const text = segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('') || '/';
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

export interface JsonSafetyOptions {
  /** check strings (values and keys) too; false: depth only */
  strings?: boolean;
  /** how the value is called in messages, e.g. "request body", "query parameter filter" */
  label?: string;
}

/**
 * Refuses JSON the pipeline cannot take: nesting deeper than MAX_JSON_DEPTH (400 invalidSyntax: recursive code
 * further on would overflow the stack) and strings (values or keys) with unsafeCharacter (400 invalidValue, naming
 * the place as a JSON pointer). Iterative, so that it is safe on any input JSON.parse accepts.
 */
export function assertSafeJson(value: unknown, options: JsonSafetyOptions = {}): void {
  const strings = options.strings ?? true;
  const label = options.label ?? 'request body';
  const stack: { value: unknown; depth: number; path: (string | number)[] }[] = [{ value, depth: 0, path: [] }];
  while (stack.length) {
    const { value: v, depth, path } = stack.pop()!;
    if (typeof v === 'string') {
      const bad = strings ? unsafeCharacter(v) : undefined;
      if (bad) throw ScimError.badRequest('invalidValue', `The ${label} contains ${bad} at ${pointer(path)}`);
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > MAX_JSON_DEPTH) throw ScimError.badRequest('invalidSyntax', `The ${label} nests JSON deeper than ${MAX_JSON_DEPTH} levels`);
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], depth: depth + 1, path: [...path, i] });
      continue;
    }
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i];
      const bad = strings ? unsafeCharacter(key) : undefined;
      if (bad) throw ScimError.badRequest('invalidValue', `The ${label} has a member name with ${bad} in ${pointer(path)}`);
      stack.push({ value: (v as Record<string, unknown>)[key], depth: depth + 1, path: [...path, key] });
    }
  }
}
