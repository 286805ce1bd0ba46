import { KeyObject } from 'node:crypto';
import { checkClaims, decodeJwt, JWT_ALGORITHMS, JwtError, verifyJwtSignature } from '../jwt/jwt';

/**
 * A tenant's trust in an external token issuer (Entra workload identity federation, RFC 7523):
 * a JWT from `issuer`, about `subject`, for `audience`, signed by a key in `jwksUrl`, authenticates
 * the tenant's client without any client secret.
 */
export interface FederatedTrust {
  id: string;
  issuer: string;
  jwksUrl: string;
  subject: string;
  audience: string;
}

export interface AssertionContext {
  /** seconds since the epoch */
  now: number;
  skewSeconds: number;
  /** the issuer's key for kid/alg, from its JWKS (cached); throws JwtError when there is none */
  keyFor: (jwksUrl: string, kid: string | undefined, alg: string) => Promise<KeyObject>;
}

/**
 * Validates a client assertion (RFC 7523 §3) against a tenant's trusts and returns the trust it
 * satisfied. The trust is chosen by (iss, sub) before any key is fetched, so an untrusted issuer
 * never makes us contact a URL it chose.
 */
export async function validateAssertion(assertion: string, trusts: readonly FederatedTrust[], ctx: AssertionContext): Promise<FederatedTrust> {
  const jwt = decodeJwt(assertion);
  const { iss, sub } = jwt.claims;
  const byIssuer = trusts.filter((t) => t.issuer === iss);
  if (byIssuer.length === 0) throw new JwtError(`issuer "${String(iss)}" is not trusted by this tenant`);
  const trust = byIssuer.find((t) => t.subject === sub);
  if (!trust) throw new JwtError(`subject "${String(sub)}" is not trusted for issuer "${String(iss)}"`);
  if (!JWT_ALGORITHMS.includes(jwt.header.alg as never)) throw new JwtError(`algorithm "${jwt.header.alg}" is not accepted`);
  const key = await ctx.keyFor(trust.jwksUrl, jwt.header.kid, jwt.header.alg);
  verifyJwtSignature(jwt, key);
  checkClaims(jwt.claims, { issuer: trust.issuer, audience: trust.audience, subject: trust.subject, now: ctx.now, skewSeconds: ctx.skewSeconds });
  return trust;
}
