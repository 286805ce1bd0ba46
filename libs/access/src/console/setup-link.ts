import { randomBytes } from 'node:crypto';
import { hashCredential } from './console-session';

/** Setup link tokens: `sfsl_` + 256 random bits (base64url); stored only as their SHA-256. */
const SETUP_TOKEN = /^sfsl_[A-Za-z0-9_-]{43}$/;
export const SETUP_LINK_MIN_SECONDS = 300;
export const SETUP_LINK_MAX_SECONDS = 30 * 86_400;
export const SETUP_LINK_DEFAULT_SECONDS = 7 * 86_400;

export interface IssuedSetupLink {
  token: string;
  tokenHash: string;
}

export function issueSetupLinkToken(): IssuedSetupLink {
  const token = `sfsl_${randomBytes(32).toString('base64url')}`;
  return { token, tokenHash: hashCredential(token) };
}

export function isSetupLinkToken(value: string | undefined): value is string {
  return typeof value === 'string' && SETUP_TOKEN.test(value);
}

/**
 * The link handed to the customer. The token rides in the fragment: browsers never send a fragment to a server, so it
 * stays out of access logs and Referer headers; the page reads it and sends it as a bearer token.
 */
export function setupLinkUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/console/setup#${token}`;
}

/** The lifetime asked for, checked against the allowed range; undefined = the default (7 days). */
export function setupLinkLifetime(seconds: number | undefined): number {
  if (seconds === undefined) return SETUP_LINK_DEFAULT_SECONDS;
  if (!Number.isInteger(seconds) || seconds < SETUP_LINK_MIN_SECONDS || seconds > SETUP_LINK_MAX_SECONDS)
    throw new RangeError(`expiresInSeconds must be an integer from ${SETUP_LINK_MIN_SECONDS} to ${SETUP_LINK_MAX_SECONDS} (5 minutes to 30 days)`);
  return seconds;
}
