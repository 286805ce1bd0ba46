import { issueToken, IssuedToken } from './bearer/secret-token';
import { issueClientCredentials, NewClientCredentials } from './oauth/client-credentials';

/** What a new tenant starts with: a secret token and OAuth client credentials (secrets shown once, hashes stored). */
export interface TenantCredentials {
  token: IssuedToken;
  client: NewClientCredentials;
}

export async function issueTenantCredentials(): Promise<TenantCredentials> {
  return { token: await issueToken(), client: await issueClientCredentials() };
}
