import type { ResourceTypeSchemas } from '../resource/types';
import { attr, SchemaDefinition } from './attribute';

export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/** A Group's `members` value naming these users by id, as a client writes it. */
export const groupMembers = (userIds: string[]): { value: string }[] => userIds.map((value) => ({ value }));

/**
 * Microsoft Entra ID lists this URN in the `schemas` of every group it creates (see Microsoft's "Develop a SCIM
 * endpoint" tutorial) but sends no attributes under it. It is accepted so those requests validate, and since it
 * never holds data it is never stored nor echoed in `schemas`.
 */
export const ENTRA_GROUP_EXTENSION = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';

/**
 * Core Group schema (RFC 7643 §4.2, §8.7.1). `displayName` is required and, in scimflow, unique per tenant
 * case-insensitively (Entra matches groups by it). Members are Users of the same tenant: `value` is the user's id,
 * `display` is computed from the user (readOnly). The members are kept in their own table, not in the document.
 */
export const groupSchema: SchemaDefinition = {
  id: GROUP_SCHEMA,
  name: 'Group',
  description: 'Group',
  attributes: [
    attr('displayName', 'string', { required: true, uniqueness: 'server' }),
    attr('members', 'complex', {
      multiValued: true,
      subAttributes: [
        attr('value', 'string', { mutability: 'immutable', caseExact: true }),
        attr('$ref', 'reference', { mutability: 'immutable', referenceTypes: ['User', 'Group'] }),
        attr('display', 'string', { mutability: 'readOnly' }),
        attr('type', 'string', { mutability: 'immutable', canonicalValues: ['User', 'Group'] }),
      ],
    }),
  ],
};

/** The attribute-less extension Entra names in group bodies (see ENTRA_GROUP_EXTENSION). */
export const entraGroupExtensionSchema: SchemaDefinition = {
  id: ENTRA_GROUP_EXTENSION,
  name: 'ADSCIMGroup',
  description: 'Listed by Microsoft Entra ID in group requests; holds no attributes',
  attributes: [],
};

export const groupResourceTypeSchemas: ResourceTypeSchemas = { core: groupSchema, extensions: [entraGroupExtensionSchema] };
