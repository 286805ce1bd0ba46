import { ScimError } from '@scimflow/scim';
import { isWebhookSecret } from './signature';
import { activeSecrets, DEFAULT_ROTATION_OVERLAP_MS, rotatedSecrets, secretRotation, StoredWebhookSecret, subscriptionSettings } from './subscription-settings';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

function invalidValue(work: () => unknown): string {
  try {
    work();
  } catch (e) {
    expect(e).toBeInstanceOf(ScimError);
    expect([(e as ScimError).status, (e as ScimError).scimType]).toEqual([400, 'invalidValue']);
    return (e as ScimError).detail;
  }
  throw new Error('expected 400 invalidValue');
}

describe('subscriptionSettings', () => {
  it('trims the URL, drops repeated event types and generates a secret', () => {
    const settings = subscriptionSettings({ url: 'https://product.example/hooks ', eventTypes: ['dev.scimflow.user.*', 'dev.scimflow.user.*'] });
    expect(settings.url).toBe('https://product.example/hooks');
    expect(settings.eventTypes).toEqual(['dev.scimflow.user.*']);
    expect(isWebhookSecret(settings.secret)).toBe(true);
    expect(subscriptionSettings({ url: 'http://x.example' }).eventTypes).toEqual([]);
  });

  it('keeps a given secret', () => {
    expect(subscriptionSettings({ url: 'https://x.example', secret: SECRET }).secret).toBe(SECRET);
  });

  it.each([
    [{ url: 'not a url' }, 'the webhook URL is not a URL: not a url'],
    [{ url: 'ftp://x.example' }, 'the webhook URL must be http(s): ftp://x.example'],
    [{ url: 'https://user:pw@x.example' }, 'the webhook URL must not carry credentials; the signature authenticates us'],
    [
      { url: 'https://x.example', eventTypes: ['dev..x'] },
      '"dev..x" is not an event type (dot-separated letters, digits, "_" and "-", optionally ending in ".*")',
    ],
    [{ url: 'https://x.example', secret: 'whsec_short' }, 'a webhook secret is "whsec_" followed by 24 to 64 bytes in base64'],
  ])('refuses %j: %s', (request, detail) => {
    expect(invalidValue(() => subscriptionSettings(request))).toBe(detail);
  });
});

describe('secretRotation', () => {
  it('overlaps a day unless told otherwise, and generates a secret unless given one', () => {
    const rotation = secretRotation();
    expect(rotation.overlapMs).toBe(DEFAULT_ROTATION_OVERLAP_MS);
    expect(isWebhookSecret(rotation.secret)).toBe(true);
    expect(secretRotation({ overlapMs: 0, secret: SECRET })).toEqual({ overlapMs: 0, secret: SECRET });
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('refuses the overlap %p', (overlapMs) => {
    expect(invalidValue(() => secretRotation({ overlapMs }))).toBe('the overlap must be a duration ≥ 0');
  });
});

describe('signing secrets over time', () => {
  const now = new Date('2026-01-02T00:00:00Z');
  const current: StoredWebhookSecret = { value: 'current', createdAt: '2026-01-01T00:00:00.000Z', expiresAt: null };
  const expiring: StoredWebhookSecret = { value: 'expiring', createdAt: '2025-12-01T00:00:00.000Z', expiresAt: '2026-01-02T01:00:00.000Z' };
  const expired: StoredWebhookSecret = { value: 'expired', createdAt: '2025-11-01T00:00:00.000Z', expiresAt: '2026-01-01T00:00:00.000Z' };

  it('signs with the secrets not expired', () => {
    expect(activeSecrets([current, expiring, expired], now)).toEqual([current, expiring]);
  });

  it('keeps the current secret beside the new one for the overlap and drops the rest', () => {
    expect(rotatedSecrets([current, expiring, expired], 'new', now, 3600_000)).toEqual([
      { value: 'new', createdAt: now.toISOString(), expiresAt: null },
      { ...current, expiresAt: '2026-01-02T01:00:00.000Z' },
    ]);
  });

  it('ends the current secret at once with no overlap, and keeps an expiring one when none is current', () => {
    expect(rotatedSecrets([current], 'new', now, 0)).toEqual([{ value: 'new', createdAt: now.toISOString(), expiresAt: null }]);
    expect(rotatedSecrets([expiring], 'new', now, 60_000)[1]).toEqual({ ...expiring, expiresAt: '2026-01-02T00:01:00.000Z' });
  });
});
