import { MAX_RESOURCE_DOCUMENT_BYTES } from '@scimflow/contracts';
import { ScimError } from '@scimflow/scim';

/**
 * Refuses a resource document whose JSON is larger than MAX_RESOURCE_DOCUMENT_BYTES (UTF-8), with 413: its change
 * event must fit a Kafka record. Group documents are measured without members (stored as rows).
 */
export function assertDocumentSize(document: unknown, what: 'User' | 'Group'): void {
  const bytes = Buffer.byteLength(JSON.stringify(document) ?? '', 'utf8');
  if (bytes > MAX_RESOURCE_DOCUMENT_BYTES)
    throw new ScimError(
      413,
      `The ${what} document is ${bytes} bytes; at most ${MAX_RESOURCE_DOCUMENT_BYTES} bytes (${MAX_RESOURCE_DOCUMENT_BYTES / 1024} KiB) are stored`,
    );
}
