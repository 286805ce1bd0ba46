import { ArrayNotEmpty, IsArray, IsIn, IsOptional, IsString, validateSync, ValidationError } from 'class-validator';
import { ScimError } from '../errors';
import { parsePatchPath } from '../filter';
import { PatchPath } from '../filter/ast';
import { isPlainObject } from '../resource/values';

export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export type PatchOpName = 'add' | 'replace' | 'remove';

export interface PatchOperation {
  op: PatchOpName;
  path?: PatchPath;
  value?: unknown;
  /** the path as the client wrote it, for error details */
  rawPath?: string;
}

/**
 * A PATCH request as scimflow carries it once validated (a command's payload): RFC 7644's PatchOp message with its
 * member names as the RFC spells them, `op` in lower case, each path trimmed and absent when there is none.
 */
export interface PatchMessage {
  schemas: string[];
  Operations: PatchMessageOperation[];
}

export interface PatchMessageOperation {
  op: PatchOpName;
  path?: string;
  value?: unknown;
}

/** The PatchOp envelope (RFC 7644 §3.5.2), after its member names were matched case-insensitively. */
class PatchOpMessageDto {
  @IsArray({ message: "'schemas' must be an array" })
  @IsString({ each: true, message: "'schemas' must contain strings" })
  schemas!: unknown;

  @IsArray({ message: "'Operations' must be an array" })
  @ArrayNotEmpty({ message: "'Operations' must not be empty" })
  Operations!: unknown;
}

class PatchOperationDto {
  @IsIn(['add', 'replace', 'remove'], { message: "'op' must be one of add, replace, remove" })
  op!: unknown;

  @IsOptional()
  @IsString({ message: "'path' must be a string" })
  path?: unknown;
}

/**
 * Validates a PATCH body and returns its operations with parsed paths. Member names (`Operations`, `op`, `path`,
 * `value`) and `op` values are case-insensitive because Entra sends `"op": "Replace"` and older clients `operations`.
 * Errors: envelope → 400 invalidSyntax; unknown op → invalidSyntax; remove without path → noTarget (RFC 7644
 * §3.5.2.2); unparsable path → invalidPath; add/replace without value → invalidValue ("a required value was missing").
 */
export function parsePatchRequest(body: unknown): PatchOperation[] {
  if (!isPlainObject(body)) throw syntax('The PATCH request body must be a JSON object');
  const message = Object.assign(new PatchOpMessageDto(), {
    schemas: member(body, 'schemas'),
    Operations: member(body, 'operations'),
  });
  assertValid(message, 'invalidSyntax');
  if (!(message.schemas as string[]).some((s) => s.toLowerCase() === PATCH_OP_SCHEMA.toLowerCase())) {
    throw syntax(`'schemas' must contain '${PATCH_OP_SCHEMA}'`);
  }
  return (message.Operations as unknown[]).map((raw, i) => parseOperation(raw, i));
}

function parseOperation(raw: unknown, index: number): PatchOperation {
  const at = `Operations[${index}]`;
  if (!isPlainObject(raw)) throw syntax(`${at} must be an object`);
  const opValue = member(raw, 'op');
  const pathValue = member(raw, 'path');
  const dto = Object.assign(new PatchOperationDto(), {
    op: typeof opValue === 'string' ? opValue.toLowerCase() : opValue,
    path: pathValue === null ? undefined : pathValue,
  });
  const errors = validateSync(dto);
  const pathError = errors.find((e) => e.property === 'path');
  if (pathError) throw ScimError.badRequest('invalidPath', `${at}: ${firstMessage(pathError)}`);
  if (errors.length) throw syntax(`${at}: ${firstMessage(errors[0])}`);

  const op = dto.op as PatchOpName;
  const rawPath = typeof dto.path === 'string' && dto.path.trim() !== '' ? dto.path.trim() : undefined;
  const hasValue = hasMember(raw, 'value');
  if (op === 'remove' && rawPath === undefined) throw ScimError.badRequest('noTarget', `${at}: 'remove' requires a 'path'`);
  if (op !== 'remove' && !hasValue) throw ScimError.badRequest('invalidValue', `${at}: '${op}' requires a 'value'`);

  const operation: PatchOperation = { op };
  if (rawPath !== undefined) {
    operation.rawPath = rawPath;
    operation.path = parsePath(rawPath, at);
  }
  if (hasValue) operation.value = member(raw, 'value');
  return operation;
}

/** The message of validated operations (parsePatchRequest's), as a command carries it. */
export function patchMessageOf(ops: PatchOperation[]): PatchMessage {
  return {
    schemas: [PATCH_OP_SCHEMA],
    Operations: ops.map((o) => ({ op: o.op, ...(o.rawPath !== undefined ? { path: o.rawPath } : {}), ...('value' in o ? { value: o.value } : {}) })),
  };
}

/**
 * The operations of a validated message (see isPatchMessage) with their paths parsed: what parsePatchRequest gives
 * for it, without validating it again.
 */
export function compilePatchMessage(message: PatchMessage): PatchOperation[] {
  return message.Operations.map((o, i) => {
    const operation: PatchOperation = { op: o.op };
    if (o.path !== undefined) {
      operation.rawPath = o.path;
      operation.path = parsePath(o.path, `Operations[${i}]`);
    }
    if ('value' in o) operation.value = o.value;
    return operation;
  });
}

/** Whether a value is a PatchMessage as patchMessageOf writes it (then parsePatchRequest would read it as it is). */
export function isPatchMessage(value: unknown): value is PatchMessage {
  if (!isPlainObject(value) || !Object.keys(value).every((k) => k === 'schemas' || k === 'Operations')) return false;
  const { schemas, Operations } = value;
  if (!Array.isArray(schemas) || !schemas.every((s) => typeof s === 'string') || !schemas.some((s) => s.toLowerCase() === PATCH_OP_SCHEMA.toLowerCase()))
    return false;
  return Array.isArray(Operations) && Operations.length > 0 && Operations.every(isMessageOperation);
}

function isMessageOperation(o: unknown): boolean {
  if (!isPlainObject(o) || !Object.keys(o).every((k) => k === 'op' || k === 'path' || k === 'value')) return false;
  if (o.op !== 'add' && o.op !== 'replace' && o.op !== 'remove') return false;
  if (o.path !== undefined && (typeof o.path !== 'string' || o.path === '' || o.path.trim() !== o.path)) return false;
  return o.op === 'remove' ? o.path !== undefined : 'value' in o;
}

function parsePath(rawPath: string, at: string): PatchPath {
  try {
    return parsePatchPath(rawPath);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw ScimError.badRequest('invalidPath', `${at}: invalid path '${rawPath}': ${reason}`);
  }
}

function assertValid(dto: object, scimType: 'invalidSyntax'): void {
  const errors = validateSync(dto);
  if (errors.length) throw ScimError.badRequest(scimType, firstMessage(errors[0]));
}

function firstMessage(error: ValidationError): string {
  return Object.values(error.constraints ?? {})[0] ?? `invalid '${error.property}'`;
}

const syntax = (detail: string) => ScimError.badRequest('invalidSyntax', detail);

/** The member whose name matches case-insensitively; two spellings of the same member are ambiguous. */
function member(obj: Record<string, unknown>, name: string): unknown {
  const keys = Object.keys(obj).filter((k) => k.toLowerCase() === name);
  if (keys.length > 1) throw syntax(`Member '${name}' is given more than once (${keys.join(', ')})`);
  return keys.length ? obj[keys[0]] : undefined;
}

function hasMember(obj: Record<string, unknown>, name: string): boolean {
  return Object.keys(obj).some((k) => k.toLowerCase() === name);
}
