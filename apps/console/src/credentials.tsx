import { useState } from 'preact/hooks';
import { type Column, DataTable, SrOnly } from './table';
import { ConfirmButton, Described, Field, RevokedBadge, useId } from './ui';

/** A credential made on request (a secret token, a product credential): its id, what it is for, and whether it is revoked. */
export interface Credential {
  id: string;
  description: string | null;
  revokedAt: string | null;
}

/**
 * Credentials as a table: the id with its description, the given `columns`, the state, and Revoke (asked twice) while
 * active; `noun` names a row's credential for screen readers.
 */
export function CredentialTable<C extends Credential>({
  rows,
  header,
  noun,
  columns,
  empty,
  confirm,
  busy,
  onRevoke,
}: {
  rows: readonly C[];
  header: string;
  noun: string;
  columns: Column<C>[];
  empty: string;
  confirm: string;
  busy: boolean;
  onRevoke: (id: string) => void;
}) {
  return (
    <DataTable
      rows={rows}
      rowKey={(c) => c.id}
      empty={empty}
      columns={[
        { header, cell: (c) => <Described id={c.id} description={c.description} /> },
        ...columns,
        { header: 'State', cell: (c) => <RevokedBadge revokedAt={c.revokedAt} /> },
        {
          header: <SrOnly>Actions</SrOnly>,
          cell: (c) =>
            c.revokedAt ? null : <ConfirmButton label="Revoke" srLabel={`${noun} ${c.id}`} confirm={confirm} busy={busy} onConfirm={() => onRevoke(c.id)} />,
        },
      ]}
    />
  );
}

/** Makes a credential: an optional description and the button; the description clears once `onCreate` says it is made. */
export function NewCredentialForm({
  idPrefix,
  button,
  busy,
  onCreate,
}: {
  idPrefix: string;
  button: string;
  busy: boolean;
  onCreate: (body: { description?: string }) => Promise<boolean>;
}) {
  const [description, setDescription] = useState('');
  const id = useId(idPrefix);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (await onCreate(description.trim() ? { description: description.trim() } : {})) setDescription('');
  };
  return (
    <form class="inline-form" onSubmit={submit}>
      <Field id={id} label="Description (optional)">
        <input id={id} maxLength={200} value={description} onInput={(e) => setDescription((e.currentTarget as HTMLInputElement).value)} />
      </Field>
      <button type="submit" disabled={busy}>
        {button}
      </button>
    </form>
  );
}
