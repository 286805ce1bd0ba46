import { userResourceTypeFor, userResourceTypeSchemas } from '../resource/types';
import { attr, SchemaDefinition } from './attribute';
import { attributeDocument, resourceTypeDocument, schemaDocument, schemasOf, serviceProviderConfigDocument } from './discovery';
import { validateSchemaRegistration } from './schema-registration';
import { ENTERPRISE_USER_SCHEMA, enterpriseUserSchema, USER_SCHEMA, userSchema } from './user.schema';

const BASE = 'https://scim.example/scim/v2/t1';
const FOLDERS = 'urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName';
const METADATA = 'urn:ietf:params:scim:schemas:extension:2.0:Metadata';
const folders = validateSchemaRegistration({ id: FOLDERS, name: 'CustomExtensionName', attributes: [{ name: 'folders', type: 'string', multiValued: true }] });
const metadata = validateSchemaRegistration({ id: METADATA, name: 'Metadata', description: 'Key-value metadata', additionalStringAttributes: true });

describe('serviceProviderConfigDocument', () => {
  it('advertises exactly what is implemented', () => {
    expect(serviceProviderConfigDocument({ maxResults: 200 }, BASE)).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: 200 },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: true },
      authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken', primary: true, specUri: 'https://www.rfc-editor.org/info/rfc6750' })],
      meta: { resourceType: 'ServiceProviderConfig', location: `${BASE}/ServiceProviderConfig` },
    });
  });

  it('carries the documentation link when there is one', () => {
    expect(serviceProviderConfigDocument({ maxResults: 5, documentationUri: 'https://docs.example' }, BASE)).toMatchObject({
      documentationUri: 'https://docs.example',
      filter: { maxResults: 5 },
    });
  });
});

describe('resourceTypeDocument', () => {
  type Row = [string, ReturnType<typeof userResourceTypeFor>, { schema: string; required: boolean }[]];
  const rows: Row[] = [
    ['no tenant extensions', userResourceTypeSchemas, [{ schema: ENTERPRISE_USER_SCHEMA, required: false }]],
    [
      'tenant extensions after the enterprise one',
      userResourceTypeFor([folders, metadata]),
      [
        { schema: ENTERPRISE_USER_SCHEMA, required: false },
        { schema: FOLDERS, required: false },
        { schema: METADATA, required: false },
      ],
    ],
  ];
  it.each(rows)('User with %s', (_name, schemas, extensions) => {
    expect(resourceTypeDocument({ id: 'User', name: 'User', endpoint: '/Users', description: 'User Account', schemas }, BASE)).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'User Account',
      schema: USER_SCHEMA,
      schemaExtensions: extensions,
      meta: { resourceType: 'ResourceType', location: `${BASE}/ResourceTypes/User` },
    });
  });

  it('marks required extensions', () => {
    const doc = resourceTypeDocument(
      { id: 'User', name: 'User', endpoint: '/Users', description: '', schemas: userResourceTypeFor([folders]), requiredExtensions: [FOLDERS.toLowerCase()] },
      BASE,
    );
    expect(doc.schemaExtensions).toEqual([
      { schema: ENTERPRISE_USER_SCHEMA, required: false },
      { schema: FOLDERS, required: true },
    ]);
  });
});

describe('schemaDocument', () => {
  it('renders the core User schema from its definition, without the common attributes', () => {
    const doc = schemaDocument(userSchema, BASE) as { attributes: Record<string, unknown>[] } & Record<string, unknown>;
    expect(doc).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
      id: USER_SCHEMA,
      name: 'User',
      description: 'User Account',
      meta: { resourceType: 'Schema', location: `${BASE}/Schemas/${USER_SCHEMA}` },
    });
    expect(doc.attributes.map((a) => a.name)).toEqual(userSchema.attributes.map((a) => a.name));
    expect(doc.attributes.map((a) => a.name)).not.toContain('id');
    expect(doc.attributes.find((a) => a.name === 'userName')).toEqual({
      name: 'userName',
      type: 'string',
      multiValued: false,
      description: '',
      required: true,
      caseExact: false,
      mutability: 'readWrite',
      returned: 'default',
      uniqueness: 'server',
    });
    expect(doc.attributes.find((a) => a.name === 'password')).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
    expect(doc.attributes.find((a) => a.name === 'emails')).toMatchObject({
      type: 'complex',
      multiValued: true,
      subAttributes: expect.arrayContaining([expect.objectContaining({ name: 'type', canonicalValues: ['work', 'home', 'other'] })]),
    });
  });

  it('renders the enterprise manager with its reference sub-attribute', () => {
    const doc = schemaDocument(enterpriseUserSchema, BASE) as { attributes: { name: string; subAttributes?: unknown[] }[] };
    expect(doc.attributes.find((a) => a.name === 'manager')?.subAttributes).toEqual([
      expect.objectContaining({ name: 'value', type: 'string' }),
      expect.objectContaining({ name: '$ref', type: 'reference', referenceTypes: ['User'] }),
      expect.objectContaining({ name: 'displayName', mutability: 'readOnly' }),
    ]);
  });

  it('renders a tenant schema as registered', () => {
    expect(schemaDocument(folders, BASE)).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
      id: FOLDERS,
      name: 'CustomExtensionName',
      description: '',
      attributes: [
        {
          name: 'folders',
          type: 'string',
          multiValued: true,
          description: '',
          required: false,
          caseExact: false,
          mutability: 'readWrite',
          returned: 'default',
          uniqueness: 'none',
        },
      ],
      meta: { resourceType: 'Schema', location: `${BASE}/Schemas/${FOLDERS}` },
    });
  });

  it('says in the description that an open schema takes any string attribute', () => {
    const doc = schemaDocument(metadata, BASE);
    expect(doc.attributes).toEqual([]);
    expect(doc.description).toMatch(/^Key-value metadata\. Accepts any other attribute name as a single-valued string/);
  });

  it('never leaks internal members', () => {
    const def = attr('x', 'string', { coerceToString: true });
    expect(attributeDocument(def)).not.toHaveProperty('coerceToString');
  });

  it('gives references the external reference type when none is declared', () => {
    expect(attributeDocument(attr('site', 'reference'))).toMatchObject({ referenceTypes: ['external'] });
  });
});

describe('schemasOf', () => {
  it('lists each schema once, in order of first appearance', () => {
    const team: SchemaDefinition = { id: 'urn:x:Team', name: 'Team', description: '', attributes: [attr('displayName', 'string')] };
    const types = [
      { id: 'User', name: 'User', endpoint: '/Users', description: '', schemas: userResourceTypeFor([folders]) },
      { id: 'Team', name: 'Team', endpoint: '/Teams', description: '', schemas: { core: team, extensions: [folders] } },
    ];
    expect(schemasOf(types).map((s) => s.id)).toEqual([USER_SCHEMA, ENTERPRISE_USER_SCHEMA, FOLDERS, 'urn:x:Team']);
  });
});
