import { GROUP_SCHEMA } from '@scimflow/scim';
import { groupRowsFromCsv, groupRowsFromJson } from './group-import';

const SURECLOUD_EXPORT = [
  {
    groupId: '8C27F1E1-4D7E-4C85-9D28-3A9E9C9F7E41',
    description: 'Users in this group can report suspected privacy breaches.',
    name: 'Privacy | Breach Reporter',
  },
  { groupId: '5b4e2a17-df3c-4b82-a6f2-27a119d8c441', description: 'Read-only access.', name: 'Read Only' },
];

describe('group import rows', () => {
  it("reads SureCloud's own export (groupId, name, description): the product id is kept (lower-cased), description not stored", () => {
    expect(groupRowsFromJson(SURECLOUD_EXPORT)).toEqual([
      {
        row: 1,
        name: 'Privacy | Breach Reporter',
        resourceId: '8c27f1e1-4d7e-4c85-9d28-3a9e9c9f7e41',
        payload: { document: { schemas: [GROUP_SCHEMA], displayName: 'Privacy | Breach Reporter' } },
      },
      {
        row: 2,
        name: 'Read Only',
        resourceId: '5b4e2a17-df3c-4b82-a6f2-27a119d8c441',
        payload: { document: { schemas: [GROUP_SCHEMA], displayName: 'Read Only' } },
      },
    ]);
  });

  it('takes {groups: [...]} with displayName/externalId and no id (the id is then chosen on import)', () => {
    expect(groupRowsFromJson({ groups: [{ displayName: 'Admins', externalId: 'g-1' }] })).toEqual([
      { row: 1, name: 'Admins', resourceId: undefined, payload: { document: { schemas: [GROUP_SCHEMA], displayName: 'Admins', externalId: 'g-1' } } },
    ]);
  });

  it('reports bad elements per row', () => {
    const rows = groupRowsFromJson([{ name: '' }, { name: 'A', groupId: 'not-a-uuid' }, { name: 'B', owner: 'x' }, 7, { name: 'C', externalId: 5 }]);
    expect(rows.map((r) => ('error' in r ? r.error : 'ok'))).toEqual([
      'displayName (or name) is required',
      'id must be a UUID: "not-a-uuid"',
      'unknown field "owner"',
      'is not a JSON object',
      'externalId must be a string',
    ]);
  });

  it('reads CSV with name/groupId aliases and refuses unknown columns or a missing name column', () => {
    const rows = groupRowsFromCsv('groupId,name,description\n5b4e2a17-df3c-4b82-a6f2-27a119d8c441,"Risk | Manager","x, y"\n,Auditors,\n');
    expect(rows.map((r) => ('payload' in r ? [r.resourceId, r.payload.document.displayName] : r.error))).toEqual([
      ['5b4e2a17-df3c-4b82-a6f2-27a119d8c441', 'Risk | Manager'],
      [undefined, 'Auditors'],
    ]);
    expect(() => groupRowsFromCsv('name,color\nA,red')).toThrow(/unknown column "color"/);
    expect(() => groupRowsFromCsv('id\n5b4e2a17-df3c-4b82-a6f2-27a119d8c441')).toThrow(/displayName \(or name\) column is required/);
    expect(() => groupRowsFromJson({ groups: [] })).toThrow(/nothing to import/);
  });
});
