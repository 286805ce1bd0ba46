/**
 * Parser for SCIM filters (RFC 7644 §3.4.2.2) and PATCH paths (RFC 7644 §3.5.2), hand-written recursive descent.
 *
 * Grammar accepted (ABNF of the RFC, made a little more tolerant of whitespace):
 *   FILTER    = orExp
 *   orExp     = andExp *( "or" andExp )            ; "and" binds tighter than "or"; both left-associative
 *   andExp    = unary *( "and" unary )
 *   unary     = "not" "(" FILTER ")" / "(" FILTER ")" / valuePath / valueAttrExp / attrExp
 *   valuePath = attrPath "[" FILTER "]"            ; inside: no nested valuePath, no URN, no sub-attribute
 *   valueAttrExp = valuePath "." ATTRNAME ( "pr" / compareOp compValue )   ; not in the RFC's FILTER rule (below)
 *   attrExp   = attrPath "pr" / attrPath compareOp compValue
 *   attrPath  = [URN ":"] ATTRNAME ["." ATTRNAME]  ; URN = everything up to the last ':'
 *   PATH      = attrPath / valuePath ["." ATTRNAME] ; PATCH only
 * Keywords (operators, and/or/not, true/false/null) are case-insensitive.
 *
 * `valueAttrExp` (`emails[type eq "work"].value eq "x"`) is what Microsoft Entra ID sends to match users by work
 * email. It is lowered here to plain value paths, so nothing downstream knows the form: "some element matching
 * the brackets has sub op value" is `attr[filter and sub op value]`; `ne` and `eq null` stay negations over the
 * whole attribute, as they are for `attr.sub` (`emails.value ne "x"` is `not (emails.value eq "x")`).
 */
import { ScimError, ScimErrorType } from '../errors';
import { AttributeReference, CompareOperator, FilterNode, FilterValue, PatchPath } from './ast';

/** Longest filter or path text accepted; keeps parsing and the generated SQL bounded. */
export const MAX_FILTER_LENGTH = 10_000;
/** Deepest nesting of parentheses, `not (…)` and value-path brackets accepted. */
export const MAX_FILTER_DEPTH = 50;

export const COMPARE_OPERATORS: readonly CompareOperator[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];

const ATTRNAME = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/i;
/** scheme ":" body; SCIM schema ids are URNs such as urn:ietf:params:scim:schemas:core:2.0:User. */
const SCHEMA_URN = /^[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9._:-]+$/;
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

/** Characters an attribute path may contain (URN prefix, names, '.', '$' of `$ref`). */
const isPathChar = (c: string): boolean => /[A-Za-z0-9._:$-]/.test(c);
const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** Parses a SCIM filter (the `filter` query parameter). Throws ScimError 400 `invalidFilter`. */
export function parseFilter(text: string): FilterNode {
  const p = new Parser(text, 'invalidFilter', 'filter');
  return p.parseWholeFilter();
}

/** Parses a PATCH operation `path`. Throws ScimError 400 `invalidPath`. */
export function parsePatchPath(text: string): PatchPath {
  const p = new Parser(text, 'invalidPath', 'path');
  return p.parseWholePath();
}

/** Tests whether `name` is a valid SCIM attribute name (ATTRNAME or `$ref`). */
export function isValidAttributeName(name: string): boolean {
  return ATTRNAME.test(name);
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly errorType: ScimErrorType,
    private readonly what: 'filter' | 'path',
  ) {}

  parseWholeFilter(): FilterNode {
    this.checkInput();
    const node = this.parseOr(false);
    this.skipSpace();
    if (!this.atEnd()) this.unexpected("'and', 'or' or the end of the filter");
    return node;
  }

  parseWholePath(): PatchPath {
    this.checkInput();
    this.skipSpace();
    const attribute = this.parseAttrPath(false);
    const result: PatchPath = { attribute };
    this.skipSpace();
    if (this.peek() === '[') {
      result.valueFilter = this.parseValueFilter(attribute, false);
      if (this.peek() === '.') {
        const start = ++this.pos;
        const name = this.readWhile(isPathChar);
        if (!ATTRNAME.test(name)) {
          this.fail(name ? `invalid sub-attribute name '${clip(name)}' after ']'` : "missing sub-attribute name after '].'", start);
        }
        result.subAttribute = name;
      }
      this.skipSpace();
    }
    if (!this.atEnd()) this.unexpected('the end of the path');
    return result;
  }

  // ---- filter expressions -------------------------------------------------------------------------------

  private parseOr(inValuePath: boolean): FilterNode {
    let left = this.parseAnd(inValuePath);
    // A loop, not recursion: long `a or b or c …` chains must not grow the stack.
    while (this.acceptKeyword('or')) left = { kind: 'or', left, right: this.parseAnd(inValuePath) };
    return left;
  }

  private parseAnd(inValuePath: boolean): FilterNode {
    let left = this.parseUnary(inValuePath);
    while (this.acceptKeyword('and')) left = { kind: 'and', left, right: this.parseUnary(inValuePath) };
    return left;
  }

  private parseUnary(inValuePath: boolean): FilterNode {
    this.skipSpace();
    const start = this.pos;
    const c = this.peek();
    if (this.atEnd()) this.fail(`expected an expression but the ${this.what} ended`);
    if (c === '(') {
      this.pos++;
      this.enter(start);
      const inner = this.parseOr(inValuePath);
      this.expectClose(')', start);
      this.depth--;
      return inner;
    }
    if (c === ')' || c === ']') this.fail(`unexpected '${c}' where an expression was expected`);
    const word = this.peekWord();
    const lower = word.toLowerCase();
    if (lower === 'not') {
      this.pos += word.length;
      this.skipSpace();
      if (this.peek() !== '(') this.fail("'not' must be followed by '('");
      this.pos++;
      this.enter(start);
      const inner = this.parseOr(inValuePath);
      this.expectClose(')', this.pos);
      this.depth--;
      return { kind: 'not', filter: inner };
    }
    if (lower === 'and' || lower === 'or') this.fail(`missing expression before '${word}'`);
    return this.parseAttrExp(inValuePath);
  }

  private parseAttrExp(inValuePath: boolean): FilterNode {
    const attribute = this.parseAttrPath(inValuePath);
    this.skipSpace();
    if (this.peek() === '[') {
      const filter = this.parseValueFilter(attribute, inValuePath);
      if (this.peek() === '.') return this.parseValueAttrExp(attribute, filter);
      return { kind: 'valuePath', attribute, filter };
    }
    return this.parseCondition(attribute, formatAttribute(attribute));
  }

  /** `attr[filter].sub pr` or `attr[filter].sub op value`; the cursor is on the '.' after ']'. */
  private parseValueAttrExp(attribute: AttributeReference, filter: FilterNode): FilterNode {
    const start = ++this.pos;
    const name = this.readWhile(isPathChar);
    if (!name) this.fail("missing sub-attribute name after '].'", start);
    if (name.includes('.')) this.fail(`'${clip(name)}' after ']' must be one sub-attribute name, without '.'`, start);
    if (name.includes(':')) this.fail(`the sub-attribute '${clip(name)}' after ']' cannot have a schema URN`, start);
    if (!ATTRNAME.test(name)) this.fail(`invalid sub-attribute name '${clip(name)}' after ']'`, start);
    this.skipSpace();
    if (this.peek() === '[') this.fail('value filters cannot be nested: a sub-attribute after a value filter cannot have a value filter of its own');
    const display = `${formatAttribute(attribute)}[…].${name}`;
    const condition = this.parseCondition({ attribute: name }, display);
    const some = (inner: FilterNode): FilterNode => ({ kind: 'valuePath', attribute, filter: { kind: 'and', left: filter, right: inner } });
    if (condition.kind !== 'compare' || (condition.op !== 'ne' && condition.value !== null)) return some(condition);
    const sub = condition.attribute;
    if (condition.value === null) {
      const present = some({ kind: 'present', attribute: sub });
      return condition.op === 'ne' ? present : { kind: 'not', filter: present };
    }
    return { kind: 'not', filter: some({ ...condition, op: 'eq' }) };
  }

  /** `pr` or `op value` after an attribute path (`display` names it in messages). */
  private parseCondition(attribute: AttributeReference, display: string): FilterNode {
    const opStart = this.pos;
    const word = this.readWhile(isPathChar);
    if (!word) {
      if (this.atEnd()) this.fail(`missing operator after '${clip(display)}'`);
      this.unexpected(`an operator after '${clip(display)}'`);
    }
    const op = word.toLowerCase();
    if (op === 'pr') {
      const save = this.pos;
      this.skipSpace();
      if (this.looksLikeValue()) this.fail("'pr' takes no value");
      this.pos = save; // leave the space: acceptKeyword needs it before 'and'/'or'
      return { kind: 'present', attribute };
    }
    if (!(COMPARE_OPERATORS as readonly string[]).includes(op)) {
      this.fail(`unknown operator '${clip(word)}' (expected eq, ne, co, sw, ew, gt, ge, lt, le or pr)`, opStart);
    }
    this.skipSpace();
    const valueStart = this.pos;
    const value = this.parseValue(op);
    checkOperatorValue(op as CompareOperator, value, (message) => this.fail(message, valueStart));
    return { kind: 'compare', attribute, op: op as CompareOperator, value };
  }

  /** `[ FILTER ]` after `attribute`; the cursor is on '['. */
  private parseValueFilter(attribute: AttributeReference, inValuePath: boolean): FilterNode {
    const start = this.pos;
    if (inValuePath) this.fail('value filters cannot be nested inside another value filter');
    if (attribute.subAttribute !== undefined) {
      this.fail(`a value filter must follow an attribute name, not the sub-attribute '${clip(formatAttribute(attribute))}'`);
    }
    this.pos++;
    this.enter(start);
    const filter = this.parseOr(true);
    this.expectClose(']', start);
    this.depth--;
    return filter;
  }

  // ---- attribute paths ----------------------------------------------------------------------------------

  private parseAttrPath(inValuePath: boolean): AttributeReference {
    const start = this.pos;
    const text = this.readWhile(isPathChar);
    if (!text) this.unexpected('an attribute name');
    let rest = text;
    let schema: string | undefined;
    const colon = text.lastIndexOf(':');
    if (colon >= 0) {
      // The URN is everything up to the last ':'; attribute names never contain ':'.
      schema = text.slice(0, colon);
      rest = text.slice(colon + 1);
      if (!SCHEMA_URN.test(schema)) this.fail(`invalid schema URN '${clip(schema)}' in attribute path`, start);
      if (!rest) this.fail(`missing attribute name after schema URN '${clip(schema)}:'`, start);
      if (inValuePath) this.fail('attributes inside a value filter are relative to its attribute and cannot have a schema URN', start);
    }
    const parts = rest.split('.');
    if (parts.length > 2) this.fail(`attribute path '${clip(text)}' has more than one '.' (expected attribute or attribute.subAttribute)`, start);
    for (const part of parts) {
      if (!ATTRNAME.test(part)) {
        this.fail(part ? `invalid attribute name '${clip(part)}'` : `empty attribute name in '${clip(text)}'`, start);
      }
    }
    if (inValuePath && parts.length > 1) this.fail(`sub-attribute paths such as '${clip(text)}' are not allowed inside a value filter`, start);
    const ref: AttributeReference = { attribute: parts[0] };
    if (schema !== undefined) ref.schema = schema;
    if (parts.length > 1) ref.subAttribute = parts[1];
    return ref;
  }

  // ---- literals -----------------------------------------------------------------------------------------

  private parseValue(op: string): FilterValue {
    const c = this.peek();
    if (this.atEnd() || c === ')' || c === ']') this.fail(`missing value after '${op}'`);
    if (c === '"') return this.parseString();
    if (c === "'") this.fail('strings must be enclosed in double quotes');
    if (c === '-' || (c >= '0' && c <= '9')) return this.parseNumber();
    const start = this.pos;
    const word = this.readWhile(isPathChar);
    switch (word.toLowerCase()) {
      case 'true':
        return true;
      case 'false':
        return false;
      case 'null':
        return null;
    }
    if (!word) this.unexpected(`a value after '${op}'`);
    this.fail(`invalid value '${clip(word)}' (expected a double-quoted string, a number, true, false or null)`, start);
  }

  private parseString(): string {
    const start = this.pos;
    this.pos++; // opening quote
    let out = '';
    let chunkStart = this.pos;
    for (;;) {
      if (this.atEnd()) this.fail('unterminated string', start);
      const c = this.text[this.pos];
      if (c === '"') {
        out += this.text.slice(chunkStart, this.pos);
        this.pos++;
        return out;
      }
      if (c === '\\') {
        out += this.text.slice(chunkStart, this.pos);
        out += this.parseEscape();
        chunkStart = this.pos;
        continue;
      }
      if (c.charCodeAt(0) < 0x20) this.fail('control characters in a string must be escaped');
      this.pos++;
    }
  }

  /** JSON escapes (RFC 8259 §7); the cursor is on the backslash. */
  private parseEscape(): string {
    const start = this.pos;
    const c = this.text[this.pos + 1];
    this.pos += 2;
    switch (c) {
      case '"':
        return '"';
      case '\\':
        return '\\';
      case '/':
        return '/';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'u': {
        const hex = this.text.slice(this.pos, this.pos + 4);
        if (!/^[0-9A-Fa-f]{4}$/.test(hex)) this.fail('invalid \\u escape (expected 4 hex digits)', start);
        // Postgres text and jsonb cannot hold U+0000, so no stored value could ever match it.
        if (hex === '0000') this.fail('strings cannot contain the NUL character (\\u0000)', start);
        this.pos += 4;
        // Surrogate halves are kept as they are, so "\ud83d\ude00" yields one astral character.
        return String.fromCharCode(parseInt(hex, 16));
      }
      case undefined:
        return this.fail('unterminated string', start);
      default:
        this.fail(`invalid escape '\\${c}' in string`, start);
    }
  }

  private parseNumber(): number {
    const start = this.pos;
    // Read the whole token so that `5x` is reported as a bad number, not as trailing garbage.
    const token = this.readWhile((ch) => /[0-9A-Za-z.+-]/.test(ch));
    if (!JSON_NUMBER.test(token)) this.fail(`invalid number '${clip(token)}'`, start);
    const n = Number(token);
    if (!Number.isFinite(n)) this.fail(`number '${clip(token)}' is out of range`, start);
    return n;
  }

  // ---- scanning helpers ---------------------------------------------------------------------------------

  private checkInput(): void {
    if (typeof this.text !== 'string') throw ScimError.badRequest(this.errorType, `Invalid ${this.what}: it must be a string.`);
    if (this.text.length > MAX_FILTER_LENGTH) {
      this.fail(`${this.what} is longer than ${MAX_FILTER_LENGTH} characters`, MAX_FILTER_LENGTH);
    }
    if (this.text.trim() === '') this.fail(`${this.what} is empty`, 0);
  }

  private enter(at: number): void {
    if (++this.depth > MAX_FILTER_DEPTH) this.fail(`${this.what} is nested more than ${MAX_FILTER_DEPTH} levels deep`, at);
  }

  private expectClose(close: ')' | ']', openedAt: number): void {
    this.skipSpace();
    if (this.peek() === close) {
      this.pos++;
      return;
    }
    const open = close === ')' ? '(' : '[';
    if (this.atEnd()) this.fail(`missing '${close}' to close the '${open}' at character ${openedAt + 1}`);
    this.unexpected(`'and', 'or' or '${close}'`);
  }

  /** Consumes `and`/`or` (case-insensitive, as a whole word) after optional whitespace. */
  private acceptKeyword(keyword: 'and' | 'or'): boolean {
    const save = this.pos;
    this.skipSpace();
    const word = this.peekWord();
    // A keyword needs a separator before it; `(a pr)and(b pr)` has none but is unambiguous after ')', ']' or '"'.
    const separated = this.pos > save || /[)\]"]/.test(this.text[save - 1] ?? '');
    if (separated && word.toLowerCase() === keyword) {
      this.pos += word.length;
      return true;
    }
    this.pos = save;
    return false;
  }

  private looksLikeValue(): boolean {
    const c = this.peek();
    if (c === '"' || c === "'" || c === '-' || (c >= '0' && c <= '9')) return true;
    return ['true', 'false', 'null'].includes(this.peekWord().toLowerCase());
  }

  private peek(): string {
    return this.text[this.pos] ?? '';
  }

  private atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  private peekWord(): string {
    let end = this.pos;
    while (end < this.text.length && isPathChar(this.text[end])) end++;
    return this.text.slice(this.pos, end);
  }

  private readWhile(pred: (c: string) => boolean): string {
    const start = this.pos;
    while (this.pos < this.text.length && pred(this.text[this.pos])) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && isSpace(this.text[this.pos])) this.pos++;
  }

  private unexpected(expected: string): never {
    if (this.atEnd()) this.fail(`expected ${expected} but the ${this.what} ended`);
    const c = this.peek();
    const token = c === '"' ? 'a string' : `'${clip(this.peekWord() || c)}'`;
    this.fail(`expected ${expected} but found ${token}`);
  }

  private fail(message: string, at: number = this.pos): never {
    const length = typeof this.text === 'string' ? this.text.length : 0;
    const where = at >= length ? `at the end of the ${this.what}` : `at character ${at + 1}`;
    throw ScimError.badRequest(this.errorType, `Invalid ${this.what}: ${message} (${where}).`);
  }
}

/**
 * Operator/literal combinations that are wrong whatever the attribute: substring operators need a string,
 * ordering operators need a string (text or dateTime) or a number, and null only makes sense with eq/ne.
 */
export function checkOperatorValue(op: CompareOperator, value: FilterValue, fail: (message: string) => never): void {
  if (value === null && op !== 'eq' && op !== 'ne') fail(`'${op}' cannot be used with null (only eq and ne can)`);
  if ((op === 'co' || op === 'sw' || op === 'ew') && typeof value !== 'string') fail(`'${op}' requires a string value`);
  if ((op === 'gt' || op === 'ge' || op === 'lt' || op === 'le') && typeof value === 'boolean') {
    fail(`'${op}' cannot be used with a boolean`);
  }
}

/** Keeps user text in error messages short. */
function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

// ---- printing -----------------------------------------------------------------------------------------------

/** Prints an attribute reference as filter text: `[urn:]attribute[.subAttribute]`. */
export function formatAttribute(ref: AttributeReference): string {
  const base = ref.schema ? `${ref.schema}:${ref.attribute}` : ref.attribute;
  return ref.subAttribute !== undefined ? `${base}.${ref.subAttribute}` : base;
}

/** Prints a literal as JSON (`-0` kept so that printing and parsing round-trip exactly). */
export function formatValue(value: FilterValue): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw ScimError.badRequest('invalidFilter', `Invalid filter: ${value} is not a JSON number.`);
    return Object.is(value, -0) ? '-0' : JSON.stringify(value);
  }
  return JSON.stringify(value);
}

/**
 * Prints a filter as canonical text: lower-case keywords, JSON literals, single spaces, and parentheses only
 * where precedence needs them. `parseFilter(formatFilter(n))` equals `n` for every node the parser can produce.
 */
export function formatFilter(node: FilterNode): string {
  switch (node.kind) {
    case 'compare':
      return `${formatAttribute(node.attribute)} ${node.op} ${formatValue(node.value)}`;
    case 'present':
      return `${formatAttribute(node.attribute)} pr`;
    case 'not':
      return `not (${formatFilter(node.filter)})`;
    case 'valuePath':
      return `${formatAttribute(node.attribute)}[${formatFilter(node.filter)}]`;
    case 'and': {
      // Left-associative: a left `and` needs no parentheses, a right one does; `or` always does.
      const left = node.left.kind === 'or' ? `(${formatFilter(node.left)})` : formatFilter(node.left);
      const right = node.right.kind === 'or' || node.right.kind === 'and' ? `(${formatFilter(node.right)})` : formatFilter(node.right);
      return `${left} and ${right}`;
    }
    case 'or': {
      const right = node.right.kind === 'or' ? `(${formatFilter(node.right)})` : formatFilter(node.right);
      return `${formatFilter(node.left)} or ${right}`;
    }
  }
}

/** Prints a PATCH path: `attr`, `attr[filter]` or `attr[filter].sub`. */
export function formatPatchPath(path: PatchPath): string {
  let out = formatAttribute(path.attribute);
  if (path.valueFilter) out += `[${formatFilter(path.valueFilter)}]`;
  if (path.valueFilter && path.subAttribute !== undefined) out += `.${path.subAttribute}`;
  return out;
}
