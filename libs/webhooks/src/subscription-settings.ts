import { ScimError } from '@scimflow/scim';
import { eventTypeProblem } from './event-filter';
import { generateSecret, isWebhookSecret } from './signature';

/** What a webhook subscription is created with: where it posts, which events it receives, the secret that signs them. */
export interface SubscriptionSettings {
  url: string;
  /** CloudEvents types or `prefix.*`; empty: every event */
  eventTypes: string[];
  secret: string;
}

/** A subscription as an operator asks for it (admin API, scimctl, a new tenant's webhooks). */
export interface SubscriptionRequest {
  url: string;
  eventTypes?: readonly string[];
  /** a `whsec_…` secret to use instead of a generated one (e.g. carried over from another system) */
  secret?: string;
}

/** A secret rotation: the new secret, and how long the current one keeps signing beside it. */
export interface SecretRotation {
  overlapMs: number;
  secret: string;
}

/** One signing secret as stored: `value` is `whsec_…` or, with WEBHOOK_SECRETS_KEY, sealed (`enc:v1:…`). */
export interface StoredWebhookSecret {
  value: string;
  createdAt: string;
  /** set on the previous secret by a rotation: it keeps signing until then */
  expiresAt: string | null;
}

export const DEFAULT_ROTATION_OVERLAP_MS = 24 * 3600 * 1000;

/**
 * The settings of a requested subscription: the URL checked and trimmed, the event types checked and without
 * repeats, the given secret checked or a new one. A value that cannot be used is 400 invalidValue.
 */
export function subscriptionSettings(request: SubscriptionRequest): SubscriptionSettings {
  const url = validUrl(request.url);
  const eventTypes = validEventTypes(request.eventTypes ?? []);
  return { url, eventTypes, secret: signingSecret(request.secret) };
}

/** A rotation as requested: the overlap (default a day) checked, the given secret checked or a new one. */
export function secretRotation(request: { overlapMs?: number; secret?: string } = {}): SecretRotation {
  const overlapMs = request.overlapMs ?? DEFAULT_ROTATION_OVERLAP_MS;
  if (!Number.isFinite(overlapMs) || overlapMs < 0) throw ScimError.badRequest('invalidValue', 'the overlap must be a duration ≥ 0');
  return { overlapMs, secret: signingSecret(request.secret) };
}

/** The secrets that sign at `now`: those not expired, in their stored order (newest first). */
export function activeSecrets<T extends StoredWebhookSecret>(secrets: readonly T[], now: Date): T[] {
  return secrets.filter((s) => s.expiresAt === null || Date.parse(s.expiresAt) > now.getTime());
}

/**
 * The secrets after a rotation at `now` to the (stored form of the) new secret: it signs from now on; the current
 * one keeps signing for `overlapMs` (two signatures per request meanwhile), so receivers can switch without a window
 * of rejected webhooks. A secret that was already expiring is dropped: there are never more than two.
 */
export function rotatedSecrets(secrets: readonly StoredWebhookSecret[], newValue: string, now: Date, overlapMs: number): StoredWebhookSecret[] {
  const signing = activeSecrets(secrets, now);
  const current = signing.find((s) => s.expiresAt === null) ?? signing[0];
  const rotated: StoredWebhookSecret[] = [{ value: newValue, createdAt: now.toISOString(), expiresAt: null }];
  if (current && overlapMs > 0) rotated.push({ ...current, expiresAt: new Date(now.getTime() + overlapMs).toISOString() });
  return rotated;
}

function validUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw ScimError.badRequest('invalidValue', `the webhook URL is not a URL: ${url}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw ScimError.badRequest('invalidValue', `the webhook URL must be http(s): ${url}`);
  if (parsed.username || parsed.password)
    throw ScimError.badRequest('invalidValue', 'the webhook URL must not carry credentials; the signature authenticates us');
  return url.trim();
}

function validEventTypes(types: readonly string[]): string[] {
  for (const t of types) {
    const problem = eventTypeProblem(t);
    if (problem) throw ScimError.badRequest('invalidValue', problem);
  }
  return [...new Set(types)];
}

function signingSecret(given: string | undefined): string {
  if (given === undefined) return generateSecret();
  if (!isWebhookSecret(given)) throw ScimError.badRequest('invalidValue', 'a webhook secret is "whsec_" followed by 24 to 64 bytes in base64');
  return given;
}
