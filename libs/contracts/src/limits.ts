/**
 * Size limits that every part of the pipeline relies on: the ingress refuses what is larger (413), the topics are
 * created with MAX_RECORD_BYTES as their `max.message.bytes`, and the producer checks each record against it.
 */

/**
 * Largest resource document scimflow stores (its JSON text, UTF-8 bytes). A user change event carries the
 * document and each changed attribute's value before and after, so it stays under 3 × this plus its envelope.
 */
export const MAX_RESOURCE_DOCUMENT_BYTES = 256 * 1024;

/** `max.message.bytes` of every scimflow topic, and the most a producer of ours sends in one record. */
export const MAX_RECORD_BYTES = 2 * 1024 * 1024;

/** The largest request body that can become one command (MAX_BODY_BYTES may not be set above it). */
export const MAX_COMMAND_BODY_BYTES = MAX_RECORD_BYTES / 2;
