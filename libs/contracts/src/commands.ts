import { isPatchMessage, isPlainObject, parsePatchRequest, PatchMessage, patchMessageOf, ScimError, ScimErrorBody } from '@scimflow/scim';
import { isUuid } from './ids';
import { LOGIN_METHODS, LoginMethod } from './views/users';

/** Contract version of ProvisioningCommand; bump on any incompatible change and keep reading the old one. */
export const COMMAND_SCHEMA_VERSION = 1;

/** 'Group' was added within v1 (User commands are unchanged); the reconciler answers other types with 400. */
export type ResourceType = 'User' | 'Group';
/**
 * SCIM writes, plus two product-side User actions added within v1 (from the admin API, so that they are ordered
 * with the user's SCIM writes and reproduced by a replay): `import` (an existing product user, not yet linked to
 * Entra; or a product's own group) and `setLoginMethod`.
 */
export type CommandAction = 'create' | 'replace' | 'patch' | 'delete' | 'import' | 'setLoginMethod';

/** A normalized SCIM resource document: a create's or a replace's payload, an import's document. */
export type ResourceDocument = Record<string, unknown>;

/** Payload of a User `import`: a normalized SCIM User document and, optionally, its login method. */
export interface ImportUserPayload {
  document: ResourceDocument;
  loginMethod?: LoginMethod;
}

/** Payload of a Group `import` (a product's own group): a SCIM Group document without members. */
export interface ImportGroupPayload {
  document: ResourceDocument;
}

/** Payload of a `setLoginMethod` command. */
export interface LoginMethodPayload {
  loginMethod: LoginMethod;
}

/** Payload of a `patch`: the PatchOp message as the ingress validated it (RFC 7644's member names, `op` in lower case). */
export type PatchPayload = PatchMessage;

/** What the ingress stamps on every command: the envelope, versioned by `v` with the payload shapes below. */
interface CommandEnvelope {
  v: typeof COMMAND_SCHEMA_VERSION;
  /** unique per accepted request; the reconciler's idempotency key */
  commandId: string;
  tenantId: string;
  /** server-assigned id; for create, chosen by the ingress */
  resourceId: string;
  /** optimistic concurrency: the If-Match ETag, when the client sent one */
  ifMatch?: string;
  /** ISO time the ingress accepted the request */
  issuedAt: string;
  /** HTTP request id, for tracing and audit */
  requestId?: string;
}

/** Each User action with its payload. */
export type UserCommand = CommandEnvelope & { resourceType: 'User' } & (
    | { action: 'create' | 'replace'; payload: ResourceDocument }
    | { action: 'patch'; payload: PatchPayload }
    | { action: 'delete'; payload?: undefined }
    | { action: 'import'; payload: ImportUserPayload }
    | { action: 'setLoginMethod'; payload: LoginMethodPayload }
  );

/** Each Group action with its payload. */
export type GroupCommand = CommandEnvelope & { resourceType: 'Group' } & (
    | { action: 'create' | 'replace'; payload: ResourceDocument }
    | { action: 'patch'; payload: PatchPayload }
    | { action: 'delete'; payload?: undefined }
    | { action: 'import'; payload: ImportGroupPayload }
  );

/**
 * A validated SCIM write (or a product-side action), published by the ingress to `scim.commands` and applied by
 * the reconciler, which trusts what `readCommand` read. Everything the reconciler needs is in the command:
 * replaying the topic reproduces the state.
 */
export type ProvisioningCommand = UserCommand | GroupCommand;

/** A command as a producer hands it over, before the version, id and time are stamped on it. */
export type UnstampedCommand = ProvisioningCommand extends infer C ? (C extends ProvisioningCommand ? Omit<C, 'v' | 'commandId' | 'issuedAt'> : never) : never;

/** The reconciler's answer to one command, sent to `scim.command-outcomes` and also stored for replays. */
export interface CommandOutcome {
  commandId: string;
  /** HTTP status to answer with (201, 200, 204, or the error's status) */
  status: number;
  /** the resource after the command (create/replace/patch), as stored, without meta.location */
  resource?: StoredResourceView;
  error?: ScimErrorBody;
}

/** What the reconciler tells the ingress about a resource; the ingress renders it as SCIM. */
export interface StoredResourceView {
  id: string;
  document: Record<string, unknown>;
  version: number;
  created: string;
  lastModified: string;
}

/** Record headers that carry request–reply metadata. */
export const Header = {
  correlationId: 'correlation-id',
  replyTo: 'reply-to',
  schemaVersion: 'schema-version',
} as const;

/**
 * The command a record holds, if it is one this version reads: a v1 command whose ids are UUIDs (ours always are;
 * anything else did not come from our ingress, admin API or CLI, and is answered as malformed, never retried) and
 * whose payload has its action's shape. Records written before the shapes were typed read as they always applied:
 * no `resourceType` is a User command; a PATCH payload as the client sent it is validated here, once, into a
 * PatchPayload (a record with one that does not validate did not come from our ingress either).
 */
export function readCommand(value: Buffer | string | null | undefined): ProvisioningCommand | undefined {
  if (value === null || value === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch {
    return undefined; // not JSON: the record is unreadable, which the caller answers
  }
  if (!isPlainObject(parsed)) return undefined;
  const c = parsed;
  const ok = c.v === COMMAND_SCHEMA_VERSION && isUuid(c.commandId) && isUuid(c.tenantId) && isUuid(c.resourceId) && typeof c.action === 'string';
  if (!ok) return undefined;
  const resourceType = c.resourceType ?? 'User';
  if (resourceType !== 'User' && resourceType !== 'Group') return undefined;
  const payload = readPayload(resourceType, c.action as string, c.payload);
  return payload === UNREADABLE ? undefined : ({ ...c, resourceType, payload } as ProvisioningCommand);
}

const UNREADABLE = Symbol('unreadable');

function readPayload(resourceType: ResourceType, action: string, payload: unknown): unknown {
  switch (action) {
    case 'create':
    case 'replace':
      return isPlainObject(payload) ? payload : UNREADABLE;
    case 'patch':
      return patchPayload(payload);
    case 'delete':
      return undefined;
    case 'import':
      if (!isPlainObject(payload) || !isPlainObject(payload.document)) return UNREADABLE;
      if (resourceType === 'Group') return payload;
      return payload.loginMethod === undefined || isLoginMethod(payload.loginMethod) ? payload : UNREADABLE;
    case 'setLoginMethod':
      return resourceType === 'User' && isPlainObject(payload) && isLoginMethod(payload.loginMethod) ? payload : UNREADABLE;
    default:
      return UNREADABLE;
  }
}

function patchPayload(payload: unknown): PatchPayload | typeof UNREADABLE {
  if (isPatchMessage(payload)) return payload;
  try {
    return patchMessageOf(parsePatchRequest(payload));
  } catch (e) {
    if (e instanceof ScimError) return UNREADABLE;
    throw e;
  }
}

function isLoginMethod(value: unknown): value is LoginMethod {
  return (LOGIN_METHODS as readonly unknown[]).includes(value);
}
