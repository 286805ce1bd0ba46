/**
 * The requests of the fairness scenario's noisy tenant: commands that are slow to apply because they are large,
 * each kept under the limit the ingress enforces for it, so none is refused.
 */
import { MAX_COMMAND_BODY_BYTES, MAX_RESOURCE_DOCUMENT_BYTES } from '@scimflow/contracts';
import { groupMembers } from '@scimflow/scim';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/** A POST /Groups body with these users as members (about 50 bytes a member: 5,000 members ≈ 250 KB). */
export function groupWithMembers(displayName: string, memberIds: string[]) {
  const body = { schemas: [GROUP], displayName, members: groupMembers(memberIds) };
  const bytes = Buffer.byteLength(JSON.stringify(body));
  if (bytes > MAX_COMMAND_BODY_BYTES) throw new Error(`a group of ${memberIds.length} members is ${bytes} bytes, above MAX_COMMAND_BODY_BYTES`);
  return body;
}

/**
 * A PUT /Users body of about `bytes` bytes (its JSON text), the bulk in x509Certificates (a multi-valued string of
 * the core schema), at most MAX_RESOURCE_DOCUMENT_BYTES less 4 KiB so the stored document (meta added) still fits.
 */
export function largeUserDocument(userName: string, bytes: number) {
  const limit = MAX_RESOURCE_DOCUMENT_BYTES - 4096;
  if (bytes > limit) throw new Error(`a user document of ${bytes} bytes is above ${limit}`);
  const doc: { schemas: string[]; userName: string; active: boolean; x509Certificates: { value: string }[] } = {
    schemas: [USER],
    userName,
    active: true,
    x509Certificates: [],
  };
  const CERT = 4096;
  let size = Buffer.byteLength(JSON.stringify(doc));
  while (size < bytes) {
    // `{"value":"…"},` is 13 bytes around the value
    const len = Math.max(1, Math.min(CERT, bytes - size - 13));
    const i = doc.x509Certificates.length;
    doc.x509Certificates.push({ value: `MII${i}`.padEnd(len, 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo').slice(0, len) });
    size = Buffer.byteLength(JSON.stringify(doc));
  }
  return doc;
}

/**
 * The members of the `i`th group: slice `i mod slices` of the pool, so groups applied at the same time (fewer than
 * `slices` at once) lock different users and a burst measures applying, not lock waits.
 */
export function memberSlice(pool: string[], i: number, size: number): string[] {
  const slices = Math.max(1, Math.floor(pool.length / size));
  const from = (i % slices) * size;
  return pool.slice(from, from + size);
}
