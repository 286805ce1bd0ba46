import { clientSecretMatches, isClientId, issueClientCredentials, StoredClient } from './client-credentials';

const TENANT = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';

/** A look-up that finds `client` under any id of our form. */
const found = (client: StoredClient | null) => async () => client;

describe('OAuth client credentials', () => {
  it('issues a client id of our form and a secret that only its hash verifies', async () => {
    const issued = await issueClientCredentials();
    expect(isClientId(issued.clientId)).toBe(true);
    expect(issued.clientSecret).toMatch(/^sfcs_/);
    expect(issued.secretHash).not.toContain(issued.clientSecret);
    expect(await clientSecretMatches(found({ tenantId: TENANT, secretHash: issued.secretHash }), TENANT, issued.clientId, issued.clientSecret)).toBe(true);
  });

  it.each(['', 'sfc_short', 'SFC_ABCDEFGHIJKLMNOPQRSTUVWX', 'sfc_abcdefghijklmnopqrstuvwx\0'])('%p is not a client id', (id) => {
    expect(isClientId(id)).toBe(false);
  });

  it("refuses another tenant's client, a removed secret, an unknown client, an id not of our form and a wrong secret", async () => {
    const issued = await issueClientCredentials();
    const stored = found({ tenantId: TENANT, secretHash: issued.secretHash });
    expect(await clientSecretMatches(stored, OTHER, issued.clientId, issued.clientSecret)).toBe(false);
    expect(await clientSecretMatches(found({ tenantId: TENANT, secretHash: null }), TENANT, issued.clientId, issued.clientSecret)).toBe(false);
    expect(await clientSecretMatches(found(null), TENANT, issued.clientId, issued.clientSecret)).toBe(false);
    expect(await clientSecretMatches(stored, TENANT, 'sfc_not-ours', issued.clientSecret)).toBe(false);
    expect(await clientSecretMatches(stored, TENANT, issued.clientId, `${issued.clientSecret}x`)).toBe(false);
  });
});
