import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks (https://www.standardwebhooks.com) symmetric signatures: HMAC-SHA256 over
 * `{webhook-id}.{webhook-timestamp}.{body}` with the secret's bytes, sent as `v1,<base64>`.
 */
export const SECRET_PREFIX = 'whsec_';
/** The spec asks for at least 24 random bytes (and at most 64). */
export const MIN_SECRET_BYTES = 24;
export const MAX_SECRET_BYTES = 64;
export const SIGNATURE_VERSION = 'v1';
/** How far a receiver should accept `webhook-timestamp` from its own clock (the libraries' default). */
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

export const WebhookHeader = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

/** A fresh secret in the spec's serialization: `whsec_` + base64 of 32 random bytes. */
export function generateSecret(bytes = 32): string {
  return SECRET_PREFIX + randomBytes(bytes).toString('base64');
}

/** The key bytes of a `whsec_…` secret, or undefined when it is not one (wrong prefix, not base64, too short or long). */
export function secretKey(secret: unknown): Buffer | undefined {
  // a JSON null or number from an admin body is not a secret either
  if (typeof secret !== 'string' || !secret.startsWith(SECRET_PREFIX)) return undefined;
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) return undefined;
  const key = Buffer.from(encoded, 'base64');
  return key.length >= MIN_SECRET_BYTES && key.length <= MAX_SECRET_BYTES ? key : undefined;
}

export function isWebhookSecret(secret: string): boolean {
  return secretKey(secret) !== undefined;
}

function keyOf(secret: string): Buffer {
  const key = secretKey(secret);
  // Secrets are validated when stored; reaching this means a corrupt row, which must not be signed around.
  if (!key) throw new Error('not a whsec_ webhook secret');
  return key;
}

/** One signature, `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`. */
export function sign(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64');
  return `${SIGNATURE_VERSION},${mac}`;
}

/**
 * The three Standard Webhooks headers. Every active secret signs (two during a rotation), space-separated,
 * newest first, so receivers that know either secret accept the request.
 */
export function webhookHeaders(input: { id: string; timestamp: number; body: string; secrets: string[] }): Record<string, string> {
  if (input.secrets.length === 0) throw new Error('a webhook needs at least one signing secret');
  // The spec forbids `.` only in id and timestamp: they are the signed content's delimiters.
  if (input.id.includes('.')) throw new Error(`webhook id must not contain ".": ${input.id}`);
  return {
    [WebhookHeader.id]: input.id,
    [WebhookHeader.timestamp]: String(input.timestamp),
    [WebhookHeader.signature]: input.secrets.map((s) => sign(s, input.id, input.timestamp, input.body)).join(' '),
  };
}

export type VerifyResult = { ok: true } | { ok: false; reason: 'missing-headers' | 'bad-timestamp' | 'timestamp-out-of-tolerance' | 'no-matching-signature' };

/**
 * What a receiver does: checks the timestamp against its clock, then accepts when any `v1` signature of the
 * header matches (constant-time comparison). Unknown signature versions are ignored, as the spec asks.
 */
export function verifyWebhook(input: {
  secret: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  nowSeconds?: number;
  toleranceSeconds?: number;
}): VerifyResult {
  const header = (name: string) => {
    const v = input.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const id = header(WebhookHeader.id);
  const timestamp = header(WebhookHeader.timestamp);
  const signatures = header(WebhookHeader.signature);
  if (!id || !timestamp || !signatures) return { ok: false, reason: 'missing-headers' };
  if (!/^\d+$/.test(timestamp)) return { ok: false, reason: 'bad-timestamp' };
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > (input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return { ok: false, reason: 'timestamp-out-of-tolerance' };
  const expected = Buffer.from(sign(input.secret, id, Number(timestamp), input.body).slice(SIGNATURE_VERSION.length + 1), 'base64');
  for (const candidate of signatures.split(' ')) {
    const [version, value] = candidate.split(',', 2);
    if (version !== SIGNATURE_VERSION || !value) continue;
    const given = Buffer.from(value, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true };
  }
  return { ok: false, reason: 'no-matching-signature' };
}
