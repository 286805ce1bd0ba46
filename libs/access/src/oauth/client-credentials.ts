import { randomBytes } from 'node:crypto';
import { hashSecret, verifySecret } from '../bearer/secret-token';

/** OAuth client ids: `sfc_` and 24 lower-case letters and digits. */
const CLIENT_ID = /^sfc_[a-z0-9]{24}$/;

/** What the customer enters in Entra (Client Identifier, Client Secret); the secret is shown once. */
export interface IssuedClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** Fresh client credentials with the hash to store (only the hash is kept). */
export interface NewClientCredentials extends IssuedClientCredentials {
  secretHash: string;
}

/** A client as stored: the tenant it belongs to and its secret's hash (null: federated assertions only). */
export interface StoredClient {
  tenantId: string;
  secretHash: string | null;
}

export function isClientId(value: string): boolean {
  return CLIENT_ID.test(value);
}

function newClientId(): string {
  return `sfc_${randomBytes(24)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')
    .slice(0, 24)}`;
}

/** 256 random bits; the prefix makes a leaked secret recognisable by secret scanners. */
function newClientSecret(): string {
  return `sfcs_${randomBytes(32).toString('base64url')}`;
}

/** A new client id and secret. A client that exists keeps its id and takes only the new secret. */
export async function issueClientCredentials(): Promise<NewClientCredentials> {
  const clientSecret = newClientSecret();
  return { clientId: newClientId(), clientSecret, secretHash: await hashSecret(clientSecret) };
}

/**
 * Verifying an unknown client costs as much as a known one, so timing does not tell which client
 * ids exist. (Computed once, lazily: scrypt is slow on purpose.)
 */
let decoyHash: Promise<string> | undefined;
const decoy = () => (decoyHash ??= hashSecret(newClientSecret()));

/**
 * True only for this tenant's client `clientId` with this secret; `find` reads a client by id. The same work is done
 * whatever is wrong: an id not of our form or not found costs a slow hash like a known one.
 */
export async function clientSecretMatches(
  find: (clientId: string) => Promise<StoredClient | null>,
  tenantId: string,
  clientId: string,
  clientSecret: string,
): Promise<boolean> {
  const client = isClientId(clientId) ? await find(clientId) : null;
  const matches = await verifySecret(clientSecret, client?.secretHash ?? (await decoy()));
  return matches && client !== null && client.secretHash !== null && client.tenantId === tenantId;
}
