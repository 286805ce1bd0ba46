import { useState } from 'preact/hooks';
import type { FederatedCredentialView } from '@scimflow/contracts/views';
import { admin } from './api';
import { DataTable, SrOnly } from './table';
import { Ago, ConfirmButton, ErrorMessage, Field, Show, Time, useAction, useId, useLoad } from './ui';

/**
 * A tenant's trusted issuers: Entra (or another identity provider) authenticates to the token endpoint with a signed
 * JWT assertion instead of a client secret (RFC 7523); the tenant trusts an issuer's assertions about one subject.
 */
export function TrustedIssuers({ tenantId }: { tenantId: string }) {
  const path = `/admin/tenants/${encodeURIComponent(tenantId)}/federated-credentials`;
  const issuers = useLoad(() => admin.get<FederatedCredentialView[]>(path), [tenantId]);
  const [form, setForm] = useState({ issuer: '', jwksUrl: '', subject: '', audience: '', description: '' });
  const action = useAction();
  const ids = {
    issuer: useId('issuer'),
    jwks: useId('jwks'),
    subject: useId('subject'),
    audience: useId('audience'),
    description: useId('issuer-description'),
  };
  const set = (key: keyof typeof form) => (e: Event) => setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement).value });
  const add = async (e: Event) => {
    e.preventDefault();
    const body: Record<string, string> = { issuer: form.issuer.trim(), jwksUrl: form.jwksUrl.trim(), subject: form.subject.trim() };
    if (form.audience.trim()) body.audience = form.audience.trim();
    if (form.description.trim()) body.description = form.description.trim();
    if (await action.succeeded(() => admin.post(path, body))) {
      setForm({ issuer: '', jwksUrl: '', subject: '', audience: '', description: '' });
      issuers.reload();
    }
  };
  const remove = async (id: string) => {
    if (await action.succeeded(() => admin.del(`${path}/${encodeURIComponent(id)}`))) issuers.reload();
  };
  return (
    <section class="card">
      <h2>Trusted issuers</h2>
      <p class="hint">
        Instead of a client secret, the token endpoint accepts a JWT assertion signed by a trusted issuer about its subject (Entra's workload identity
        federation). The keys are fetched from the issuer's JWK Set.
      </p>
      <Show loaded={issuers} what="the trusted issuers">
        {(list) => (
          <DataTable
            rows={list}
            rowKey={(c) => c.id}
            empty="No trusted issuer."
            columns={[
              {
                header: 'Issuer and subject',
                cell: (c) => (
                  <>
                    <div class="mono">{c.issuer}</div>
                    <div class="sub">
                      subject <span class="mono">{c.subject}</span>
                      {c.description ? <> · {c.description}</> : null}
                    </div>
                  </>
                ),
              },
              { header: 'Audience', cellClass: 'mono', cell: (c) => c.audience },
              { header: 'Added', cell: (c) => <Time iso={c.createdAt} /> },
              { header: 'Last used', cell: (c) => <Ago iso={c.lastUsedAt} /> },
              {
                header: <SrOnly>Actions</SrOnly>,
                cell: (c) => (
                  <ConfirmButton
                    label="Remove"
                    srLabel={`issuer ${c.issuer}`}
                    confirm="Remove: its assertions are refused"
                    busy={action.busy}
                    onConfirm={() => remove(c.id)}
                  />
                ),
              },
            ]}
          />
        )}
      </Show>
      <form class="form" onSubmit={add}>
        <h3>Trust an issuer</h3>
        <Field id={ids.issuer} label="Issuer (the exact iss)">
          <input
            id={ids.issuer}
            required
            maxLength={500}
            placeholder="https://login.microsoftonline.com/<entra-tenant-id>/v2.0"
            value={form.issuer}
            onInput={set('issuer')}
          />
        </Field>
        <Field id={ids.jwks} label="JWK Set URL (https)">
          <input
            id={ids.jwks}
            required
            type="url"
            maxLength={1000}
            placeholder="https://login.microsoftonline.com/<entra-tenant-id>/discovery/v2.0/keys"
            value={form.jwksUrl}
            onInput={set('jwksUrl')}
          />
        </Field>
        <div class="row">
          <Field id={ids.subject} label="Subject (the exact sub)">
            <input id={ids.subject} required maxLength={500} value={form.subject} onInput={set('subject')} />
          </Field>
          <Field id={ids.audience} label="Audience (optional)" hint="Default: the tenant's token URL">
            <input id={ids.audience} maxLength={500} value={form.audience} onInput={set('audience')} />
          </Field>
        </div>
        <Field id={ids.description} label="Description (optional)">
          <input id={ids.description} maxLength={200} value={form.description} onInput={set('description')} />
        </Field>
        <ErrorMessage error={action.error} />
        <button type="submit" disabled={action.busy}>
          Trust this issuer
        </button>
      </form>
    </section>
  );
}
