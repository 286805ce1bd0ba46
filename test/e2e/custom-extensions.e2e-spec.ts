import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ScimClient, patchOps } from '../support/scim-client';
import { useSystem } from '../support/system';
import { useReceiver } from '../support/webhook-receiver';

const exec = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const FOLDERS = 'urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName';
const METADATA = 'urn:ietf:params:scim:schemas:extension:2.0:Metadata';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const CACHE_TTL_MS = 300;

type Resource = Record<string, any>;

/** The CLI as users run it (npm test builds dist first). */
async function scimctl(...args: string[]) {
  try {
    const { stdout, stderr } = await exec('npx', ['--no-install', 'scimctl', ...args], { cwd: ROOT, env: process.env });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const dir = mkdtempSync(path.join(tmpdir(), 'scimflow-schemas-'));
function schemaFile(name: string, content: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

const foldersSchema = {
  id: FOLDERS,
  name: 'CustomExtensionName',
  description: 'Folders the user can access',
  attributes: [{ name: 'folders', type: 'string', multiValued: true, description: 'folder ids or external ids' }],
};
const metadataSchema = { id: METADATA, name: 'Metadata', description: 'Key-value metadata', additionalStringAttributes: true };

/** A create as Entra sends it with the workforce product's custom mappings: flat URN-path keys. */
const entraUser = (userName: string, folders: string[], costCode: unknown) => ({
  schemas: [USER, ENTERPRISE],
  externalId: userName.split('@')[0],
  userName,
  active: true,
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  emails: [{ primary: true, type: 'work', value: userName }],
  userType: 'Premium',
  [`${FOLDERS}:folders`]: folders,
  [`${METADATA}:costCode`]: costCode,
  [`${METADATA}:region`]: 'EMEA',
});

describe('Tenant-defined extension schemas (workforce product: folders and Metadata:<key>)', () => {
  const system = useSystem({ env: { TENANT_SCHEMA_CACHE_TTL_MS: String(CACHE_TTL_MS) } });
  const receiver = useReceiver();
  let workforce: ScimClient;
  let plain: ScimClient;
  let workforceId: string;

  beforeAll(async () => {
    ({ tenantId: workforceId, scim: workforce } = await system.createTenant('e2e workforce', [receiver.url]));
    const b = await system.createTenant('e2e plain');
    plain = new ScimClient(b.scimBaseUrl, b.token);
  });

  const row = async (id: string) => (await system.db.query(`SELECT document FROM scim_users WHERE id = $1`, [id]))[0]?.document;

  it('registers the extensions with scimctl and lists them', async () => {
    const folders = await scimctl('schema', 'register', '--tenant', workforceId, '--file', schemaFile('folders.json', foldersSchema));
    expect(folders.code).toBe(0);
    expect(JSON.parse(folders.stdout.trim())).toEqual({
      tenantId: workforceId,
      schema: FOLDERS,
      created: true,
      location: `${system.baseUrl}/scim/v2/${workforceId}/Schemas/${FOLDERS}`,
    });
    const metadata = await scimctl('schema', 'register', '--tenant', workforceId, '--file', schemaFile('metadata.json', metadataSchema));
    expect(metadata.code).toBe(0);
    expect(JSON.parse(metadata.stdout.trim())).toMatchObject({ schema: METADATA, created: true });

    const listed = await scimctl('schema', 'list', '--tenant', workforceId);
    expect(listed.code).toBe(0);
    const lines = listed.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.schema.id)).toEqual([FOLDERS, METADATA]);
    expect(lines[0]).toMatchObject({
      tenantId: workforceId,
      resourceType: 'User',
      schema: {
        id: FOLDERS,
        name: 'CustomExtensionName',
        attributes: [expect.objectContaining({ name: 'folders', type: 'string', multiValued: true, caseExact: false })],
      },
    });
    expect(lines[1].schema).toMatchObject({ id: METADATA, attributes: [], additionalStringAttributes: true });
    const rows = await system.db.query(`SELECT schema_id FROM tenant_schemas WHERE tenant_id = $1 ORDER BY created_at`, [workforceId]);
    expect(rows.map((r: { schema_id: string }) => r.schema_id)).toEqual([FOLDERS, METADATA]);
  });

  it.each([
    [
      'an invalid definition',
      'bad.json',
      { id: 'not-a-urn', name: '', attributes: [{ name: '1x', type: 'text' }] },
      /Invalid schema: id: must be a URN.*name: must be.*attributes\[0\]\.name.*attributes\[0\]\.type/,
    ],
    ['a reserved id', 'reserved.json', { ...foldersSchema, id: ENTERPRISE }, /reserved/],
    [
      'an incompatible change',
      'incompatible.json',
      { ...foldersSchema, attributes: [{ name: 'folders', type: 'string' }] },
      /cannot change its type or multiValued/,
    ],
    ['a file that is not JSON', 'broken.json', '{ "id": ', /is not valid JSON/],
  ])('refuses %s, saying why (exit code 1)', async (_name, file, content, message) => {
    const res = await scimctl('schema', 'register', '--tenant', workforceId, '--file', schemaFile(file, content));
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(message);
  });

  it('explains usage errors with exit code 2', async () => {
    expect((await scimctl('schema', 'register', '--file', 'x.json')).code).toBe(2);
    expect((await scimctl('schema', 'register', '--tenant', 'nope', '--file', 'x.json')).code).toBe(2);
    expect((await scimctl('schema', 'list')).code).toBe(2);
    const unknownTenant = await scimctl(
      'schema',
      'register',
      '--tenant',
      '00000000-0000-4000-8000-000000000000',
      '--file',
      schemaFile('f.json', foldersSchema),
    );
    expect(unknownTenant.code).toBe(1);
    expect(unknownTenant.stderr).toMatch(/tenant .* not found/);
  });

  it('creates users as Entra sends them: flat URN keys, metadata values stored as strings', async () => {
    const created = await workforce.post('/Users', entraUser('ada@contoso.example', ['f1', 'f2'], 42));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      schemas: [USER, FOLDERS, METADATA],
      userName: 'ada@contoso.example',
      [FOLDERS]: { folders: ['f1', 'f2'] },
      [METADATA]: { costCode: '42', region: 'EMEA' },
    });
    expect(await row(created.body.id)).toMatchObject({ [FOLDERS]: { folders: ['f1', 'f2'] }, [METADATA]: { costCode: '42', region: 'EMEA' } });
    const got = await workforce.get(`/Users/${created.body.id}`);
    expect(got.body).toEqual(created.body);

    // the change event carries the extension data to the product
    await receiver.waitFor(() => receiver.eventsFor(created.body.id).length >= 1);
    expect(receiver.eventsFor(created.body.id)[0].data.user).toMatchObject({ [FOLDERS]: { folders: ['f1', 'f2'] }, [METADATA]: { costCode: '42' } });

    const second = await workforce.post('/Users', entraUser('grace@contoso.example', ['f3'], true));
    expect(second.status).toBe(201);
    expect(second.body[METADATA]).toEqual({ costCode: 'true', region: 'EMEA' });
  });

  it('filters and sorts by extension attributes', async () => {
    const ids = async (filter: string, extra = '') => {
      const res = await workforce.get(`/Users?filter=${encodeURIComponent(filter)}${extra}`);
      expect(res.status).toBe(200);
      return res.body.Resources.map((r: Resource) => r.userName);
    };
    expect(await ids(`${FOLDERS}:folders eq "f1"`)).toEqual(['ada@contoso.example']);
    expect(await ids(`${FOLDERS}:folders eq "F3"`)).toEqual(['grace@contoso.example']);
    expect(await ids(`${FOLDERS}:folders eq "f9"`)).toEqual([]);
    expect(await ids(`${METADATA}:costCode eq "42"`)).toEqual(['ada@contoso.example']);
    expect(await ids(`${METADATA}:region eq "emea" and ${FOLDERS}:folders pr`, `&sortBy=${METADATA}:costCode&sortOrder=descending`)).toEqual([
      'grace@contoso.example',
      'ada@contoso.example',
    ]);
    const projected = await workforce.get(`/Users?filter=${encodeURIComponent(`${FOLDERS}:folders eq "f1"`)}&attributes=${METADATA}`);
    expect(projected.body.Resources).toEqual([{ schemas: [USER, FOLDERS, METADATA], id: expect.any(String), [METADATA]: { costCode: '42', region: 'EMEA' } }]);
  });

  it("patches extension attributes by full URN path, and with Entra's no-path form", async () => {
    const id = (await workforce.get(`/Users?filter=${encodeURIComponent('userName eq "ada@contoso.example"')}`)).body.Resources[0].id;
    const patched = await workforce.patch(
      `/Users/${id}`,
      patchOps(
        { op: 'Add', path: `${FOLDERS}:folders`, value: ['f3'] },
        { op: 'Replace', path: `${METADATA}:costCode`, value: 7 },
        { op: 'Remove', path: `${METADATA}:region` },
        { op: 'Add', path: `${METADATA}:site`, value: 'Berlin' },
      ),
    );
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ [FOLDERS]: { folders: ['f1', 'f2', 'f3'] }, [METADATA]: { costCode: '7', site: 'Berlin' } });
    expect(patched.body[METADATA]).not.toHaveProperty('region');

    const noPath = await workforce.patch(`/Users/${id}`, patchOps({ op: 'Replace', value: { [`${FOLDERS}:folders`]: ['f4'], [`${METADATA}:costCode`]: 8.5 } }));
    expect(noPath.status).toBe(200);
    expect(await row(id)).toMatchObject({ [FOLDERS]: { folders: ['f4'] }, [METADATA]: { costCode: '8.5', site: 'Berlin' } });

    const removeFolder = await workforce.patch(`/Users/${id}`, patchOps({ op: 'Remove', path: `${FOLDERS}:folders[value eq "f4"]` }));
    expect(removeFolder.status).toBe(200);
    expect(removeFolder.body[FOLDERS]).toBeUndefined();
    expect(removeFolder.body.schemas).toEqual([USER, METADATA]);

    const wrong = await workforce.patch(`/Users/${id}`, patchOps({ op: 'Add', path: `${FOLDERS}:color`, value: 'red' }));
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ schemas: [ERROR], scimType: 'invalidPath' });
  });

  it('shows the extensions in /Schemas and /ResourceTypes', async () => {
    const types = await workforce.get('/ResourceTypes/User');
    expect(types.body.schemaExtensions).toEqual([
      { schema: ENTERPRISE, required: false },
      { schema: FOLDERS, required: false },
      { schema: METADATA, required: false },
    ]);
    const schemas = await workforce.get('/Schemas');
    expect(schemas.body.Resources.map((s: Resource) => s.id)).toEqual(expect.arrayContaining([USER, ENTERPRISE, FOLDERS, METADATA]));
    const folders = await workforce.get(`/Schemas/${FOLDERS}`);
    expect(folders.status).toBe(200);
    expect(folders.body).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
      id: FOLDERS,
      name: 'CustomExtensionName',
      description: 'Folders the user can access',
      attributes: [
        {
          name: 'folders',
          type: 'string',
          multiValued: true,
          description: 'folder ids or external ids',
          required: false,
          caseExact: false,
          mutability: 'readWrite',
          returned: 'default',
          uniqueness: 'none',
        },
      ],
      meta: { resourceType: 'Schema', location: `${workforce.baseUrl}/Schemas/${FOLDERS}` },
    });
    const metadata = await workforce.get(`/Schemas/${METADATA}`);
    expect(metadata.body).toMatchObject({
      id: METADATA,
      attributes: [],
      description: expect.stringMatching(/Accepts any other attribute name as a single-valued string/),
    });
  });

  it('a compatible update (a new attribute) reaches the running apps once the cache expires', async () => {
    const updated = await scimctl(
      'schema',
      'register',
      '--tenant',
      workforceId,
      '--file',
      schemaFile('folders-v2.json', { ...foldersSchema, attributes: [...foldersSchema.attributes, { name: 'homeFolder', type: 'string' }] }),
    );
    expect(updated.code).toBe(0);
    expect(JSON.parse(updated.stdout.trim())).toMatchObject({ schema: FOLDERS, created: false });
    await new Promise((r) => setTimeout(r, CACHE_TTL_MS + 200));
    const created = await workforce.post('/Users', { schemas: [USER], userName: 'lin@contoso.example', [`${FOLDERS}:homeFolder`]: 'h1' });
    expect(created.status).toBe(201);
    expect(created.body[FOLDERS]).toEqual({ homeFolder: 'h1' });
    const schema = await workforce.get(`/Schemas/${FOLDERS}`);
    expect(schema.body.attributes.map((a: Resource) => a.name)).toEqual(['folders', 'homeFolder']);
  });

  it('rejects the extensions for a tenant that did not register them', async () => {
    const created = await plain.post('/Users', entraUser('ada@plain.example', ['f1'], 1));
    expect(created.status).toBe(400);
    expect(created.body).toEqual({
      schemas: [ERROR],
      status: '400',
      scimType: 'invalidValue',
      detail: expect.stringMatching(/Unknown schema in attribute 'urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName:folders'/),
    });
    expect(await system.db.query(`SELECT 1 FROM scim_users WHERE user_name = 'ada@plain.example'`)).toEqual([]);

    const filtered = await plain.get(`/Users?filter=${encodeURIComponent(`${FOLDERS}:folders eq "f1"`)}`);
    expect(filtered.status).toBe(400);
    expect(filtered.body.scimType).toBe('invalidFilter');
    expect((await plain.get(`/Schemas/${FOLDERS}`)).status).toBe(404);
    expect((await plain.get('/ResourceTypes/User')).body.schemaExtensions).toEqual([{ schema: ENTERPRISE, required: false }]);

    const user = await plain.post('/Users', { schemas: [USER], userName: 'bob@plain.example' });
    expect(user.status).toBe(201);
    const patched = await plain.patch(`/Users/${user.body.id}`, patchOps({ op: 'Add', path: `${METADATA}:costCode`, value: '1' }));
    expect(patched.status).toBe(400);
    expect(patched.body.scimType).toBe('invalidPath');
  });
});
