import type { SigningKeyView } from '@scimflow/contracts/views';
import { admin } from './api';
import { DataTable, SrOnly } from './table';
import { ConfirmButton, ErrorMessage, Show, Time, useAction, useLoad } from './ui';

const STATE_BADGE: Record<SigningKeyView['state'], string> = { signing: 'ok', verifying: 'warn', expired: 'muted', retired: 'bad' };

/** The keys that sign the access tokens of every tenant's token endpoint: rotate, and retire a leaked one. */
export function SigningKeysPage() {
  const keys = useLoad(() => admin.get<SigningKeyView[]>('/admin/signing-keys'), []);
  const action = useAction();
  const rotate = async () => {
    if (await action.succeeded(() => admin.post('/admin/signing-keys/rotate'))) keys.reload();
  };
  const retire = async (kid: string) => {
    if (await action.succeeded(() => admin.post(`/admin/signing-keys/${encodeURIComponent(kid)}/retire`))) keys.reload();
  };
  return (
    <>
      <h1>Signing keys</h1>
      <p>
        Access tokens that the tenants' OAuth token endpoints issue are signed with the newest active key. After a rotation the older keys keep verifying the
        tokens they signed until those expire; retiring a key refuses every token it signed at once (for a leaked key).
      </p>
      <section class="card">
        <h2>Keys</h2>
        <ErrorMessage error={action.error} />
        <Show loaded={keys} what="the signing keys">
          {(list) => (
            <DataTable
              rows={list}
              rowKey={(k) => k.kid}
              empty="No signing key yet: the first token request creates one."
              columns={[
                { header: 'Key id', cellClass: 'mono', cell: (k) => k.kid },
                { header: 'Algorithm', cell: (k) => k.algorithm },
                { header: 'State', cell: (k) => <span class={`badge ${STATE_BADGE[k.state]}`}>{k.state}</span> },
                { header: 'Created', cell: (k) => <Time iso={k.createdAt} /> },
                {
                  header: 'Verifies until',
                  cell: (k) =>
                    k.retiredAt ? (
                      <>
                        retired <Time iso={k.retiredAt} />
                      </>
                    ) : k.verifyUntil ? (
                      <Time iso={k.verifyUntil} />
                    ) : (
                      <span class="muted">while it signs</span>
                    ),
                },
                {
                  header: <SrOnly>Actions</SrOnly>,
                  cell: (k) =>
                    k.state === 'retired' || k.state === 'expired' ? null : (
                      <ConfirmButton
                        label="Retire"
                        srLabel={`key ${k.kid}`}
                        confirm="Retire: tokens it signed stop working now"
                        busy={action.busy}
                        onConfirm={() => retire(k.kid)}
                      />
                    ),
                },
              ]}
            />
          )}
        </Show>
        <ConfirmButton label="Rotate signing key" class="" confirm="Rotate now: new tokens get a new key" busy={action.busy} onConfirm={rotate} />
      </section>
    </>
  );
}
