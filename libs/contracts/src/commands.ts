import { ScimErrorBody } from '@scimflow/scim';
import { isUuid } from './ids';
import type { LoginMethod } from './views/users';

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

/** Payload of an `import` command: a normalized SCIM User document and, optionally, its login method. */
export interface ImportUserPayload {
  document: Record<string, unknown>;
  loginMethod?: LoginMethod;
}

/** Payload of a `setLoginMethod` command. */
export interface LoginMethodPayload {
  loginMethod: LoginMethod;
}

/**
 * A validated SCIM write, published by the ingress to `scim.commands` and applied by the reconciler.
 * Everything the reconciler needs is in the command: replaying the topic reproduces the state.
 */
export interface ProvisioningCommand {
  v: typeof COMMAND_SCHEMA_VERSION;
  /** unique per accepted request; the reconciler's idempotency key */
  commandId: string;
  tenantId: string;
  resourceType: ResourceType;
  /** server-assigned id; for create, chosen by the ingress */
  resourceId: string;
  action: CommandAction;
  /** create/replace: normalized SCIM document; patch: the PatchOp message as received (validated); delete: none;
   *  import: ImportUserPayload (User) or {document: SCIM Group without members} (Group); setLoginMethod: LoginMethodPayload */
  payload?: unknown;
  /** optimistic concurrency: the If-Match ETag, when the client sent one */
  ifMatch?: string;
  /** ISO time the ingress accepted the request */
  issuedAt: string;
  /** HTTP request id, for tracing and audit */
  requestId?: string;
}

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
 * anything else did not come from our ingress, admin API or CLI, and is answered as malformed, never retried).
 */
export function readCommand(value: Buffer | string | null | undefined): ProvisioningCommand | undefined {
  if (value === null || value === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch {
    return undefined; // not JSON: the record is unreadable, which the caller answers
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const c = parsed as Partial<ProvisioningCommand>;
  const ok = c.v === COMMAND_SCHEMA_VERSION && isUuid(c.commandId) && isUuid(c.tenantId) && isUuid(c.resourceId) && typeof c.action === 'string';
  return ok ? (c as ProvisioningCommand) : undefined;
}
