import { randomBytes } from 'node:crypto';
import { isSealed, SecretBox } from './secret-box';

const KEY = randomBytes(32).toString('base64');
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describe('SecretBox', () => {
  it('with a key, seals so the stored value does not contain the secret, and opens it again', () => {
    const box = SecretBox.fromConfig(KEY);
    const sealed = box.seal(SECRET);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain(SECRET.slice(6));
    expect(box.seal(SECRET)).not.toBe(sealed); // fresh IV each time
    expect(box.open(sealed)).toBe(SECRET);
  });

  it('without a key, stores the secret as it is', () => {
    const box = SecretBox.fromConfig(undefined);
    expect(box.encrypts).toBe(false);
    expect(box.seal(SECRET)).toBe(SECRET);
    expect(box.open(SECRET)).toBe(SECRET);
  });

  it('with a key, still reads secrets stored before the key was set', () => {
    expect(SecretBox.fromConfig(KEY).open(SECRET)).toBe(SECRET);
  });

  it('fails loudly for a sealed secret without the key, with another key, or tampered', () => {
    const sealed = SecretBox.fromConfig(KEY).seal(SECRET);
    expect(() => SecretBox.fromConfig('').open(sealed)).toThrow(/WEBHOOK_SECRETS_KEY is not set/);
    expect(() => SecretBox.fromConfig(randomBytes(32).toString('base64')).open(sealed)).toThrow();
    const raw = Buffer.from(sealed.slice('enc:v1:'.length), 'base64');
    raw[raw.length - 1] ^= 1;
    expect(() => SecretBox.fromConfig(KEY).open(`enc:v1:${raw.toString('base64')}`)).toThrow();
  });

  it('rejects a key that is not 32 bytes', () => {
    expect(() => SecretBox.fromConfig(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });
});
