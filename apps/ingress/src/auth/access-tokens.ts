import { Injectable } from '@nestjs/common';
import { KeyObject } from 'node:crypto';
import {
  decodeJwt,
  issueAccessToken,
  IssuedAccessToken,
  JwtError,
  privateKeyOf,
  PublicJwk,
  publicKeyOf,
  VerifiedAccessToken,
  verifyAccessToken,
} from '@scimflow/access';
import { IngressConfig } from '@scimflow/config';
import { SigningKeys } from '@scimflow/persistence';

/** How long the set of verification keys is used before it is read again (a key retired elsewhere stops working within this). */
const KEYS_TTL_MS = 30_000;
/** A token signed by a key we have not seen (rotated by another process) reloads the keys, at most this often. */
const UNKNOWN_KID_RELOAD_MS = 1_000;

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Issues and verifies our OAuth access tokens with the keys in `signing_keys`. */
@Injectable()
export class AccessTokens {
  private keys = new Map<string, KeyObject>();
  private loadedAt = 0;
  private loading?: Promise<void>;
  private readonly privateKeys = new Map<string, KeyObject>();

  constructor(
    private readonly signingKeys: SigningKeys,
    private readonly config: IngressConfig,
  ) {}

  async issue(tenantId: string, subject: string): Promise<IssuedAccessToken> {
    // read every time: a rotation by scimctl or another instance applies to the next token
    const key = await this.signingKeys.signingKey();
    let privateKey = this.privateKeys.get(key.kid);
    if (!privateKey) this.privateKeys.set(key.kid, (privateKey = privateKeyOf(key.privateKey)));
    return issueAccessToken({
      publicBaseUrl: this.config.PUBLIC_BASE_URL,
      tenantId,
      subject,
      ttlSeconds: this.config.ACCESS_TOKEN_TTL_SECONDS,
      now: nowSeconds(),
      key: { kid: key.kid, privateKey },
    });
  }

  /** The token's tenant, or undefined for anything but a valid, unexpired access token of ours. */
  async verify(token: string): Promise<VerifiedAccessToken | undefined> {
    let kid: string | undefined;
    try {
      kid = decodeJwt(token).header.kid;
    } catch (e) {
      if (e instanceof JwtError) return undefined;
      throw e;
    }
    const age = Date.now() - this.loadedAt;
    if (age > KEYS_TTL_MS || (kid !== undefined && !this.keys.has(kid) && age > UNKNOWN_KID_RELOAD_MS)) await this.reload();
    try {
      return verifyAccessToken(token, { publicBaseUrl: this.config.PUBLIC_BASE_URL, now: nowSeconds(), keyFor: (k) => this.keys.get(k) });
    } catch (e) {
      if (e instanceof JwtError) return undefined;
      throw e;
    }
  }

  /** The public keys, for /oauth/jwks. */
  async publicJwks(): Promise<PublicJwk[]> {
    return (await this.signingKeys.verificationKeys()).map((k) => k.publicJwk as PublicJwk);
  }

  /** After a rotation or retirement through this process: use the new key set at once. */
  forgetKeys(): void {
    this.loadedAt = 0;
  }

  private reload(): Promise<void> {
    this.loading ??= this.signingKeys
      .verificationKeys()
      .then((rows) => {
        this.keys = new Map(rows.map((r) => [r.kid, publicKeyOf(r.publicJwk as PublicJwk)]));
        this.loadedAt = Date.now();
      })
      .finally(() => (this.loading = undefined));
    return this.loading;
  }
}
