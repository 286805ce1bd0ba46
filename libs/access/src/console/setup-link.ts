import { randomBytes } from 'node:crypto';
import type { IssuedSetupLink } from '@scimflow/contracts';
import { hashCredential } from './console-session';

/** Setup link tokens: `sfsl_` + 256 random bits (base64url); stored only as their SHA-256. */
const SETUP_TOKEN = /^sfsl_[A-Za-z0-9_-]{43}$/;
export const SETUP_LINK_MIN_SECONDS = 300;
export const SETUP_LINK_MAX_SECONDS = 30 * 86_400;
export const SETUP_LINK_DEFAULT_SECONDS = 7 * 86_400;

export interface SetupLinkToken {
  token: string;
  tokenHash: string;
}

export function issueSetupLinkToken(): SetupLinkToken {
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

export interface SetupLinkRequest {
  /** 300 to 2,592,000; default 7 days */
  expiresInSeconds?: number;
  productName?: string | null;
  logoUrl?: string | null;
}

export interface NewSetupLink {
  /** SHA-256 of the link's token (the token itself is never stored) */
  tokenHash: string;
  expiresAt: Date;
  productName?: string | null;
  logoUrl?: string | null;
}

/** Where setup links are kept (the SetupLinks store). */
export interface SetupLinkRecords {
  create(tenantId: string, link: NewSetupLink): Promise<{ id: string; expiresAt: string }>;
}

/** A new link for the tenant (which the caller has checked exists); a lifetime out of range throws RangeError. */
export async function issueSetupLink(
  records: SetupLinkRecords,
  tenantId: string,
  request: SetupLinkRequest,
  publicBaseUrl: string,
  now = new Date(),
): Promise<IssuedSetupLink> {
  const issued = issueSetupLinkToken();
  const expiresAt = new Date(now.getTime() + setupLinkLifetime(request.expiresInSeconds) * 1000);
  const link = await records.create(tenantId, {
    tokenHash: issued.tokenHash,
    expiresAt,
    productName: request.productName?.trim() || null,
    logoUrl: request.logoUrl || null,
  });
  return { id: link.id, url: setupLinkUrl(publicBaseUrl, issued.token), expiresAt: link.expiresAt };
}
