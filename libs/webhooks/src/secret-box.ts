import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const SEALED_PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * How signing secrets are stored. The notifier must sign with them, so they cannot be hashed: with a key
 * (WEBHOOK_SECRETS_KEY, 32 bytes, base64) they are sealed with AES-256-GCM; without one they are stored as
 * they are (`whsec_…`), and anyone who can read the table can forge webhooks (see docs/webhooks.md).
 * Stored values say which they are, so setting a key later keeps the old plain values readable.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer | undefined) {}

  /** `base64Key` empty or absent: secrets are stored as they are. */
  static fromConfig(base64Key: string | undefined): SecretBox {
    if (!base64Key) return new SecretBox(undefined);
    const key = Buffer.from(base64Key, 'base64');
    if (key.length !== 32) throw new Error('WEBHOOK_SECRETS_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32)');
    return new SecretBox(key);
  }

  get encrypts(): boolean {
    return this.key !== undefined;
  }

  seal(secret: string): string {
    if (!this.key) return secret;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return SEALED_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
  }

  open(stored: string): string {
    if (!stored.startsWith(SEALED_PREFIX)) return stored;
    if (!this.key) throw new Error('a webhook secret is encrypted but WEBHOOK_SECRETS_KEY is not set');
    const raw = Buffer.from(stored.slice(SEALED_PREFIX.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    // A wrong key fails the GCM tag check here and throws: never sign with garbage.
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(SEALED_PREFIX);
}
