import { useDatabase } from '../../../../test/support/medium/database';
import { SigningKeys } from './signing-keys';

const db = useDatabase();

describe('SigningKeys (Postgres)', () => {
  it('creates the first key once, rotates to a new one while the old verifies, and retires a key', async () => {
    const keys = new SigningKeys(db());
    const first = await keys.signingKey();
    expect(await keys.signingKey()).toEqual(first);
    expect(first).toMatchObject({ algorithm: 'ES256', verifyUntil: null, retiredAt: null });
    expect(first.createdAt).toBeInstanceOf(Date);

    const second = await keys.rotate(600);
    expect(await keys.signingKey()).toEqual(second);
    const old = (await keys.list()).find((k) => k.kid === first.kid)!;
    expect(old.verifyUntil!.getTime()).toBeGreaterThan(Date.now());
    expect((await keys.verificationKeys()).map((k) => k.kid)).toEqual(expect.arrayContaining([first.kid, second.kid]));

    const retired = await keys.retire(first.kid);
    expect(retired?.retiredAt).toBeInstanceOf(Date);
    expect((await keys.verificationKeys()).map((k) => k.kid)).not.toContain(first.kid);
    expect(await keys.retire('no such key')).toBeNull();
    expect(await keys.retire('nul\0')).toBeNull();
  });
});
