import { CommandOutcome, ProvisioningCommand } from '@scimflow/contracts';
import { compilePatchMessage, ScimError, toBoolean, USER_SCHEMA } from '@scimflow/scim';
import { UserDecision } from './users/user-decision';
import { UserState } from './users/user-state';

/**
 * A tenant's deprovisioning threshold: beyond `maxUsers` users (or `maxPercent` % of its active users)
 * deactivated or deleted within `windowSeconds`, further deprovisionings are held for an operator's decision.
 * Both limits null: off.
 */
export interface DeprovisionThreshold {
  maxUsers: number | null;
  maxPercent: number | null;
  windowSeconds: number;
}

/** Entra's own accidental-deletion default: 500 users; within an hour. */
export const DEFAULT_DEPROVISION_THRESHOLD: DeprovisionThreshold = { maxUsers: 500, maxPercent: null, windowSeconds: 3600 };

const MAX_WINDOW_SECONDS = 30 * 24 * 3600;

/** How a command takes a user away from the products: deactivated (active true → false) or deleted (an active user). */
export type Deprovisioning = 'deactivate' | 'delete';

export function thresholdOff(t: DeprovisionThreshold): boolean {
  return t.maxUsers === null && t.maxPercent === null;
}

/** A threshold as an operator sets it; 400 invalidValue for anything out of range. */
export function validateThreshold(input: { maxUsers?: unknown; maxPercent?: unknown; windowSeconds?: unknown }): DeprovisionThreshold {
  const maxUsers = input.maxUsers ?? null;
  const maxPercent = input.maxPercent ?? null;
  const windowSeconds = input.windowSeconds ?? DEFAULT_DEPROVISION_THRESHOLD.windowSeconds;
  if (maxUsers !== null && !(Number.isInteger(maxUsers) && (maxUsers as number) >= 0 && (maxUsers as number) <= 10_000_000))
    throw ScimError.badRequest('invalidValue', 'maxUsers must be an integer from 0 to 10000000, or null');
  if (maxPercent !== null && !(typeof maxPercent === 'number' && Number.isFinite(maxPercent) && maxPercent > 0 && maxPercent <= 100))
    throw ScimError.badRequest('invalidValue', 'maxPercent must be a number above 0 and at most 100, or null');
  if (!(Number.isInteger(windowSeconds) && (windowSeconds as number) >= 60 && (windowSeconds as number) <= MAX_WINDOW_SECONDS))
    throw ScimError.badRequest('invalidValue', `windowSeconds must be an integer from 60 to ${MAX_WINDOW_SECONDS}`);
  return { maxUsers: maxUsers as number | null, maxPercent: maxPercent as number | null, windowSeconds: windowSeconds as number };
}

/**
 * Whether one more deprovisioning goes beyond the threshold, given those already counted in the window and the
 * tenant's active users now. The percentage is of the tenant's size at the window's start: its active users now
 * plus those deprovisioned within the window.
 */
export function exceedsThreshold(t: DeprovisionThreshold, counts: { inWindow: number; activeUsers: number }): boolean {
  const next = counts.inWindow + 1;
  if (t.maxUsers !== null && next > t.maxUsers) return true;
  if (t.maxPercent !== null) {
    const base = counts.activeUsers + counts.inWindow;
    if (base > 0 && next * 100 > t.maxPercent * base) return true;
  }
  return false;
}

/**
 * Whether a command might deprovision a user, without I/O (those that might not are applied without a look at the
 * threshold): a User DELETE; a User PUT that does not say `active: true`; a User PATCH with an operation on `active`
 * (by path, or in a path-less value) other than setting it to true (Entra's reactivation, `"True"`). A PATCH whose
 * path does not parse is not one: applying it rejects it.
 */
export function mayDeprovision(command: ProvisioningCommand): boolean {
  if (command.resourceType !== 'User') return false;
  if (command.action === 'delete') return true;
  if (command.action === 'replace') return !setsActive(command.payload);
  if (command.action !== 'patch') return false;
  let ops;
  try {
    ops = compilePatchMessage(command.payload);
  } catch (e) {
    if (e instanceof ScimError) return false;
    throw e;
  }
  return ops.some((op) => {
    if (op.path) {
      const onActive =
        isActive(op.path.attribute.attribute) && (!op.path.attribute.schema || op.path.attribute.schema.toLowerCase() === USER_SCHEMA.toLowerCase());
      return onActive && !(op.op.toLowerCase() !== 'remove' && toBoolean(op.value) === true);
    }
    if (op.op.toLowerCase() === 'remove') return false;
    const value = op.value;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
    return Object.entries(value).some(
      ([k, v]) =>
        (isActive(k) && toBoolean(v) !== true) ||
        (k.toLowerCase() === USER_SCHEMA.toLowerCase() &&
          v !== null &&
          typeof v === 'object' &&
          !Array.isArray(v) &&
          !setsActive(v) &&
          Object.keys(v).some(isActive)),
    );
  });
}

/** Whether a resource document (or a path-less PATCH value) sets `active` to true. */
function setsActive(document: unknown): boolean {
  if (!document || typeof document !== 'object' || Array.isArray(document)) return false;
  const entry = Object.entries(document).find(([k]) => isActive(k));
  return entry !== undefined && toBoolean(entry[1]) === true;
}

function isActive(name: string): boolean {
  return name.toLowerCase() === 'active' || name.toLowerCase() === `${USER_SCHEMA.toLowerCase()}:active`;
}

/**
 * What a decided command does to the user as a deprovisioning: `delete` (an active user deleted), `deactivate`
 * (active true → false), or undefined (anything else, including the deactivation or deletion of an inactive user).
 */
export function deprovisioningOf(current: UserState | undefined, decision: UserDecision): Deprovisioning | undefined {
  if (!current || current.deletedAt || !current.active) return undefined;
  if (decision.kind === 'delete') return 'delete';
  if (decision.kind === 'save' && !decision.isNew && !decision.state.active) return 'deactivate';
  return undefined;
}

/** The answer recorded for a held deprovisioning an operator rejected: it was never applied and never will be. */
export function rejectedHoldOutcome(commandId: string, holdId: string): CommandOutcome {
  return {
    commandId,
    status: 409,
    error: new ScimError(409, `the deprovisioning was held (hold ${holdId}) and rejected by an operator; it was not applied`).toBody(),
  };
}
