import { admin } from './api';
import type { SigningKey } from './types';
import { ConfirmButton, Empty, ErrorMessage, Show, Time, useAction, useLoad } from './ui';

const STATE_BADGE: Record<SigningKey['state'], string> = { signing: 'ok', verifying: 'warn', expired: 'muted', retired: 'bad' };

/** The keys that sign the access tokens of every tenant's token endpoint: rotate, and retire a leaked one. */
export function SigningKeysPage() {
  const keys = useLoad(() => admin.get<SigningKey[]>('/admin/signing-keys'), []);
  const action = useAction();
  const rotate = async () => {
    if (await action.run(() => admin.post('/admin/signing-keys/rotate').then(() => true))) keys.reload();
  };
  const retire = async (kid: string) => {
    if (await action.run(() => admin.post(`/admin/signing-keys/${encodeURIComponent(kid)}/retire`).then(() => true))) keys.reload();
  };
  return (
    <>
      <h1>Signing keys</h1>
      <p>
        Access tokens that the tenants' OAuth token endpoints issue are signed with the newest active key. After a rotation the older keys keep verifying
        the tokens they signed until those expire; retiring a key refuses every token it signed at once (for a leaked key).
      </p>
      <section class="card">
        <h2>Keys</h2>
        <ErrorMessage error={action.error} />
        <Show loaded={keys} what="the signing keys">
          {(list) =>
            list.length === 0 ? (
              <Empty>No signing key yet: the first token request creates one.</Empty>
            ) : (
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Key id</th>
                      <th scope="col">Algorithm</th>
                      <th scope="col">State</th>
                      <th scope="col">Created</th>
                      <th scope="col">Verifies until</th>
                      <th scope="col">
                        <span class="sr-only">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((k) => (
                      <tr key={k.kid}>
                        <td class="mono">{k.kid}</td>
                        <td>{k.algorithm}</td>
                        <td>
                          <span class={`badge ${STATE_BADGE[k.state]}`}>{k.state}</span>
                        </td>
                        <td>
                          <Time iso={k.createdAt} />
                        </td>
                        <td>{k.retiredAt ? <>retired <Time iso={k.retiredAt} /></> : k.verifyUntil ? <Time iso={k.verifyUntil} /> : <span class="muted">while it signs</span>}</td>
                        <td>
                          {k.state === 'retired' || k.state === 'expired' ? null : (
                            <ConfirmButton label="Retire" srLabel={`key ${k.kid}`} confirm="Retire: tokens it signed stop working now" busy={action.busy} onConfirm={() => retire(k.kid)} />
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </Show>
        <ConfirmButton label="Rotate signing key" class="" confirm="Rotate now: new tokens get a new key" busy={action.busy} onConfirm={rotate} />
      </section>
    </>
  );
}
