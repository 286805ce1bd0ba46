/**
 * Schemas used by the resource/ and patch/ specs (plain data, no test framework): a tenant-style custom User
 * extension and a Group-like core schema with `members`, so the engine is exercised beyond the User schema.
 */
import { attr, SchemaDefinition } from '../schema/attribute';
import { enterpriseUserSchema, userSchema } from '../schema/user.schema';
import { ResourceTypeSchemas } from './types';

export const CUSTOM_EXTENSION = 'urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName';
export const TEAM_SCHEMA = 'urn:scimflow:test:schemas:Team';
export const TEAM_EXTENSION = 'urn:scimflow:test:schemas:extension:TeamExtra';

export const customExtensionSchema: SchemaDefinition = {
  id: CUSTOM_EXTENSION,
  name: 'CustomExtensionName',
  description: 'tenant-defined extension',
  attributes: [
    attr('folders', 'string', { multiValued: true }),
    attr('badgeId', 'string', { mutability: 'immutable', caseExact: true }),
    attr('level', 'integer'),
    attr('score', 'decimal'),
    attr('hiredAt', 'dateTime'),
    attr('vip', 'boolean'),
    attr('photo', 'binary'),
    attr('nickTag', 'string', { returned: 'request' }),
    attr('computed', 'string', { mutability: 'readOnly' }),
    attr('pin', 'string', { mutability: 'writeOnly', returned: 'never' }),
  ],
};

export const userTypes: ResourceTypeSchemas = { core: userSchema, extensions: [enterpriseUserSchema, customExtensionSchema] };

/** Modeled on the RFC 7643 §4.2 Group schema (members' sub-attributes are immutable). */
export const teamSchema: SchemaDefinition = {
  id: TEAM_SCHEMA,
  name: 'Team',
  description: 'Group-like test resource',
  attributes: [
    attr('displayName', 'string', { required: true }),
    attr('members', 'complex', {
      multiValued: true,
      subAttributes: [
        attr('value', 'string', { mutability: 'immutable' }),
        attr('$ref', 'reference', { mutability: 'immutable', referenceTypes: ['User', 'Group'] }),
        attr('display', 'string', { mutability: 'readOnly' }),
        attr('type', 'string', { mutability: 'immutable', canonicalValues: ['User', 'Group'] }),
      ],
    }),
    attr('owner', 'complex', {
      subAttributes: [attr('value', 'string', { required: true }), attr('display', 'string')],
    }),
  ],
};

export const teamExtensionSchema: SchemaDefinition = {
  id: TEAM_EXTENSION,
  name: 'TeamExtra',
  description: 'extension with a required attribute',
  attributes: [attr('costCode', 'string', { required: true }), attr('note', 'string')],
};

export const teamTypes: ResourceTypeSchemas = { core: teamSchema, extensions: [teamExtensionSchema] };
