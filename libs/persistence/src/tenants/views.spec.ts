import { Tenant } from '../entities';
import { SigningKey } from './signing-keys';
import { signingKeyViews, tenantView } from './views';

const key = (kid: string, o: Partial<SigningKey> = {}): SigningKey => ({
  kid,
  algorithm: 'ES256',
  privateKey: 'PEM',
  publicJwk: {},
  createdAt: new Date('2025-01-01T00:00:00Z'),
  verifyUntil: null,
  retiredAt: null,
  ...o,
});

describe('views', () => {
  it('tenantView: Entra URLs from PUBLIC_BASE_URL, rate limit null when not overridden, no secrets', () => {
    const t = Object.assign(new Tenant(), {
      id: 't-1',
      name: 'Contoso',
      status: 'active',
      profile: 'segura',
      settings: {},
      allowedSourceIps: ['203.0.113.0/24'],
      rateLimitPerSecond: null,
      rateLimitBurst: null,
      intakePausedAt: null,
      deliveryPausedAt: new Date('2025-01-02T00:00:00Z'),
      createdAt: new Date('2025-01-01T00:00:00Z'),
    });
    expect(tenantView(t, 'https://scim.example.com/')).toEqual({
      tenantId: 't-1',
      name: 'Contoso',
      profile: 'segura',
      status: 'active',
      createdAt: '2025-01-01T00:00:00.000Z',
      scimBaseUrl: 'https://scim.example.com/scim/v2/t-1',
      tokenUrl: 'https://scim.example.com/oauth/t-1/token',
      allowedSourceIps: ['203.0.113.0/24'],
      rateLimit: null,
      settings: {},
      intakePausedAt: null,
      deliveryPausedAt: '2025-01-02T00:00:00.000Z',
    });
    expect(tenantView(Object.assign(t, { rateLimitPerSecond: 5, rateLimitBurst: 10 }), 'https://x').rateLimit).toEqual({ perSecond: 5, burst: 10 });
  });

  it('signingKeyViews: the newest active key signs; rotated keys verify until verify_until, then expire; retired wins', () => {
    const now = new Date('2025-06-01T00:00:00Z');
    const views = signingKeyViews(
      [
        key('new'),
        key('rotated', { verifyUntil: new Date('2025-06-01T01:00:00Z') }),
        key('old', { verifyUntil: new Date('2025-05-01T00:00:00Z') }),
        key('leaked', { verifyUntil: new Date('2025-06-01T01:00:00Z'), retiredAt: new Date('2025-05-31T00:00:00Z') }),
      ],
      now,
    );
    expect(views.map((v) => [v.kid, v.state])).toEqual([
      ['new', 'signing'],
      ['rotated', 'verifying'],
      ['old', 'expired'],
      ['leaked', 'retired'],
    ]);
    expect(JSON.stringify(views)).not.toContain('PEM');
  });
});
