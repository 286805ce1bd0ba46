import { attr, SchemaDefinition } from './attribute';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const multiValuedStringValue = (name: string, types: string[], extra: Partial<Parameters<typeof attr>[2]> = {}) =>
  attr(name, 'complex', {
    multiValued: true,
    subAttributes: [attr('value', 'string', extra), attr('display', 'string'), attr('type', 'string', { canonicalValues: types }), attr('primary', 'boolean')],
  });

/** Core User schema (RFC 7643 §4.1), restricted to what scimflow stores and serves. */
export const userSchema: SchemaDefinition = {
  id: USER_SCHEMA,
  name: 'User',
  description: 'User Account',
  attributes: [
    attr('userName', 'string', { required: true, uniqueness: 'server' }),
    attr('name', 'complex', {
      subAttributes: [
        attr('formatted', 'string'),
        attr('familyName', 'string'),
        attr('givenName', 'string'),
        attr('middleName', 'string'),
        attr('honorificPrefix', 'string'),
        attr('honorificSuffix', 'string'),
      ],
    }),
    attr('displayName', 'string'),
    attr('nickName', 'string'),
    attr('profileUrl', 'reference', { referenceTypes: ['external'] }),
    attr('title', 'string'),
    attr('userType', 'string'),
    attr('preferredLanguage', 'string'),
    attr('locale', 'string'),
    attr('timezone', 'string'),
    attr('active', 'boolean'),
    attr('password', 'string', { mutability: 'writeOnly', returned: 'never' }),
    multiValuedStringValue('emails', ['work', 'home', 'other']),
    multiValuedStringValue('phoneNumbers', ['work', 'home', 'mobile', 'fax', 'pager', 'other']),
    multiValuedStringValue('ims', ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo']),
    multiValuedStringValue('photos', ['photo', 'thumbnail']),
    attr('addresses', 'complex', {
      multiValued: true,
      subAttributes: [
        attr('formatted', 'string'),
        attr('streetAddress', 'string'),
        attr('locality', 'string'),
        attr('region', 'string'),
        attr('postalCode', 'string'),
        attr('country', 'string'),
        attr('type', 'string', { canonicalValues: ['work', 'home', 'other'] }),
        attr('primary', 'boolean'),
      ],
    }),
    attr('groups', 'complex', {
      multiValued: true,
      mutability: 'readOnly',
      subAttributes: [
        attr('value', 'string', { mutability: 'readOnly' }),
        attr('$ref', 'reference', { mutability: 'readOnly', referenceTypes: ['User', 'Group'] }),
        attr('display', 'string', { mutability: 'readOnly' }),
        attr('type', 'string', { mutability: 'readOnly', canonicalValues: ['direct', 'indirect'] }),
      ],
    }),
    { ...multiValuedStringValue('entitlements', []), appRoles: true },
    { ...multiValuedStringValue('roles', []), appRoles: true },
    multiValuedStringValue('x509Certificates', []),
  ],
};

/** Enterprise User extension (RFC 7643 §4.3). */
export const enterpriseUserSchema: SchemaDefinition = {
  id: ENTERPRISE_USER_SCHEMA,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    attr('employeeNumber', 'string'),
    attr('costCenter', 'string'),
    attr('organization', 'string'),
    attr('division', 'string'),
    attr('department', 'string'),
    attr('manager', 'complex', {
      subAttributes: [
        attr('value', 'string'),
        attr('$ref', 'reference', { referenceTypes: ['User'] }),
        attr('displayName', 'string', { mutability: 'readOnly' }),
      ],
    }),
  ],
};

/** Attributes every resource carries (RFC 7643 §3.1). */
export const commonAttributes = [
  attr('id', 'string', { mutability: 'readOnly', returned: 'always', caseExact: true, uniqueness: 'server' }),
  attr('externalId', 'string', { caseExact: true }),
  attr('meta', 'complex', {
    mutability: 'readOnly',
    subAttributes: [
      attr('resourceType', 'string', { mutability: 'readOnly', caseExact: true }),
      attr('created', 'dateTime', { mutability: 'readOnly' }),
      attr('lastModified', 'dateTime', { mutability: 'readOnly' }),
      attr('location', 'reference', { mutability: 'readOnly' }),
      attr('version', 'string', { mutability: 'readOnly', caseExact: true }),
    ],
  }),
];
