import { createHmac } from 'node:crypto';
import { generateSecret, isWebhookSecret, secretKey, sign, verifyWebhook, webhookHeaders } from './signature';

/**
 * Vectors computed outside this code, from the spec's algorithm, with openssl:
 *   printf '%s' "{id}.{timestamp}.{body}" | openssl dgst -sha256 -mac HMAC -macopt hexkey:<key bytes as hex> -binary | base64
 * The first is also the one the Standard Webhooks reference libraries test against.
 */
const VECTORS = [
  {
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    timestamp: 1614265330,
    body: '{"test": 2432232314}',
    signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  },
  {
    // key bytes 0x00…0x1f
    secret: 'whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=',
    id: '0c9b1e52-7a3d-4f0e-9a44-2f7c1d5e8b60',
    timestamp: 1732700000,
    body: '{"specversion":"1.0","id":"0c9b1e52-7a3d-4f0e-9a44-2f7c1d5e8b60","type":"dev.scimflow.user.created.v1"}',
    signature: 'v1,5jCiwJ6AKONO9lHBlpnUBJQcXdvuWfZz2WuAZwN0b3o=',
  },
];

describe('Standard Webhooks signing', () => {
  it.each(VECTORS)('signs $id at $timestamp as the spec computes it', (v) => {
    expect(sign(v.secret, v.id, v.timestamp, v.body)).toBe(v.signature);
  });

  it('puts id, timestamp and one signature per secret, newest first, into the headers', () => {
    const [a, b] = VECTORS;
    const headers = webhookHeaders({ id: a.id, timestamp: a.timestamp, body: a.body, secrets: [a.secret, b.secret] });
    expect(headers).toEqual({
      'webhook-id': a.id,
      'webhook-timestamp': '1614265330',
      'webhook-signature': `${a.signature} ${sign(b.secret, a.id, a.timestamp, a.body)}`,
    });
  });

  it('refuses to sign without a secret or with an id containing "."', () => {
    expect(() => webhookHeaders({ id: 'x', timestamp: 1, body: '{}', secrets: [] })).toThrow(/at least one/);
    expect(() => webhookHeaders({ id: 'a.b', timestamp: 1, body: '{}', secrets: [VECTORS[0].secret] })).toThrow(/must not contain/);
  });

  it('signs over the exact bytes: a re-serialized body gives another signature', () => {
    const v = VECTORS[0];
    expect(sign(v.secret, v.id, v.timestamp, JSON.stringify(JSON.parse(v.body)))).not.toBe(v.signature);
  });

  it('signs multi-byte UTF-8 bodies over their UTF-8 bytes', () => {
    const v = VECTORS[1];
    const body = '{"name":"Zoë Åström 👩‍💻"}';
    const expected = createHmac('sha256', Buffer.from(v.secret.slice(6), 'base64'))
      .update(Buffer.from(`${v.id}.${v.timestamp}.${body}`, 'utf8'))
      .digest('base64');
    expect(sign(v.secret, v.id, v.timestamp, body)).toBe(`v1,${expected}`);
  });
});

describe('webhook secrets', () => {
  it('generates whsec_ secrets of 32 random bytes', () => {
    const s = generateSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(secretKey(s)).toHaveLength(32);
    expect(generateSecret()).not.toBe(s);
  });

  it.each([
    ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', true],
    ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', false], // no prefix
    ['whsec_c2hvcnQ=', false], // 5 bytes: below the spec's 24
    [`whsec_${Buffer.alloc(65).toString('base64')}`, false], // above 64
    ['whsec_not base64!!', false],
    ['whsec_', false],
  ])('%s is a secret: %s', (secret, ok) => {
    expect(isWebhookSecret(secret)).toBe(ok);
  });
});

describe('verifyWebhook (the receiver side)', () => {
  const v = VECTORS[0];
  const headers = { 'webhook-id': v.id, 'webhook-timestamp': String(v.timestamp), 'webhook-signature': v.signature };
  const at = (nowSeconds: number, h: Record<string, string> = headers, secret = v.secret, body = v.body) =>
    verifyWebhook({ secret, headers: h, body, nowSeconds });

  it.each([
    ['valid', at(v.timestamp), { ok: true }],
    ['4 min late', at(v.timestamp + 240), { ok: true }],
    ['6 min late', at(v.timestamp + 360), { ok: false, reason: 'timestamp-out-of-tolerance' }],
    ['6 min early', at(v.timestamp - 360), { ok: false, reason: 'timestamp-out-of-tolerance' }],
    ['other secret', at(v.timestamp, headers, VECTORS[1].secret), { ok: false, reason: 'no-matching-signature' }],
    ['tampered body', at(v.timestamp, headers, v.secret, '{"test": 2432232315}'), { ok: false, reason: 'no-matching-signature' }],
    ['missing signature', at(v.timestamp, { 'webhook-id': v.id, 'webhook-timestamp': String(v.timestamp) }), { ok: false, reason: 'missing-headers' }],
    ['non-numeric timestamp', at(v.timestamp, { ...headers, 'webhook-timestamp': 'soon' }), { ok: false, reason: 'bad-timestamp' }],
    ['truncated signature', at(v.timestamp, { ...headers, 'webhook-signature': v.signature.slice(0, 8) }), { ok: false, reason: 'no-matching-signature' }],
    [
      'unknown versions ignored, one valid among several',
      at(v.timestamp, { ...headers, 'webhook-signature': `v1a,abc v2,${v.signature.slice(3)} v1,AAAA ${v.signature}` }),
      { ok: true },
    ],
    [
      'right value under another version',
      at(v.timestamp, { ...headers, 'webhook-signature': `v2,${v.signature.slice(3)}` }),
      { ok: false, reason: 'no-matching-signature' },
    ],
  ])('%s', (_name, result, expected) => {
    expect(result).toEqual(expected);
  });
});

describe('secretKey of what is not a string', () => {
  it('is undefined for null, numbers and objects (an admin body may send them)', () => {
    for (const value of [null, undefined, 42, {}, ['whsec_x']]) expect(secretKey(value)).toBeUndefined();
  });
});
