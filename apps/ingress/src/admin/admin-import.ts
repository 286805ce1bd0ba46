import type { CommandOutcome } from '@scimflow/contracts';
import { ScimError } from '@scimflow/scim';

/** The rows of an import body: CSV (text/csv) or JSON; anything else 415. */
export function importBody<R>(contentType: string | undefined, body: unknown, fromCsv: (text: string) => R[], fromJson: (body: unknown) => R[]): R[] {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'text/csv' || type === 'text/plain') {
    if (typeof body !== 'string') throw ScimError.badRequest('invalidSyntax', 'import: empty CSV body');
    return fromCsv(body);
  }
  if (type === 'application/json' || type.endsWith('+json')) return fromJson(body);
  throw new ScimError(415, 'import: send application/json or text/csv');
}

/** An import row's result from its `import` command: a refused row (409, 400) or an unavailable pipeline (503) is reported, and the other rows go on. */
export async function importCommandResult(outcome: Promise<CommandOutcome>): Promise<{ status: number; id?: string; detail?: string }> {
  try {
    const { status, resource } = await outcome;
    return { status, id: resource?.id };
  } catch (e) {
    if (e instanceof ScimError) return { status: e.status, detail: e.detail ?? e.message };
    throw e;
  }
}
