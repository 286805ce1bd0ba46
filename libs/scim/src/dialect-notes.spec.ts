import { dialectNotes } from './dialect-notes';

const T = '/scim/v2/7c4b5a0e-0000-4000-8000-000000000001';
const patch = (...Operations: unknown[]) => ({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations });

describe('dialectNotes', () => {
  it('notes a capitalised op and a "False" string for active', () => {
    expect(dialectNotes('PATCH', `${T}/Users/u1`, patch({ op: 'Replace', path: 'active', value: 'False' }))).toEqual([
      'op "Replace" read as "replace"',
      'active "False" read as false',
    ]);
  });

  it('says nothing about a request in RFC 7644 form', () => {
    expect(dialectNotes('PATCH', `${T}/Users/u1`, patch({ op: 'replace', path: 'active', value: false }))).toEqual([]);
    expect(dialectNotes('POST', `${T}/Users`, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada', active: true })).toEqual([]);
    expect(dialectNotes('GET', `${T}/Users?filter=userName eq "ada"`, undefined)).toEqual([]);
  });

  it('notes "True" strings in a no-path replace and inside object values', () => {
    expect(dialectNotes('PATCH', `${T}/Users/u1`, patch({ op: 'replace', value: { active: 'True' } }))).toEqual(['active "True" read as true']);
    expect(dialectNotes('PATCH', `${T}/Users/u1`, patch({ op: 'add', path: 'emails', value: { value: 'a@x', primary: 'true' } }))).toContain(
      'emails.primary "true" read as true',
    );
  });

  it('notes add/replace on a filtered path as an upsert, with a boolean string in its filter', () => {
    const notes = dialectNotes('PATCH', `${T}/Users/u1`, patch({ op: 'Replace', path: 'roles[primary eq "True"].value', value: 'Admin' }));
    expect(notes).toContain('Replace on the filtered path roles[primary eq "True"].value creates the element if none matches');
    expect(notes).toContain('primary eq "True" in roles[primary eq "True"].value read as true');
    expect(notes.some((n) => n.includes('bare role name'))).toBe(false);
  });

  it('does not call a filtered remove an upsert', () => {
    const notes = dialectNotes('PATCH', `${T}/Users/u1`, patch({ op: 'remove', path: 'emails[type eq "work"]' }));
    expect(notes.some((n) => n.includes('creates the element'))).toBe(false);
  });

  it('notes dotted, URN and filtered keys of a no-path replace', () => {
    const notes = dialectNotes(
      'PATCH',
      `${T}/Users/u1`,
      patch({
        op: 'replace',
        value: {
          'name.givenName': 'Ada',
          'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department': 'R&D',
          'emails[type eq "work"].value': 'a@x',
          displayName: 'Ada',
        },
      }),
    );
    expect(notes).toEqual([
      'no-path replace key "name.givenName" resolved as a path, not stored as an attribute of that name',
      'no-path replace key "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department" resolved as an extension attribute',
      'no-path replace key "emails[type eq "work"].value" resolved as a filtered path (creates the element if none matches)',
    ]);
  });

  it('notes member removal by a value array, and by a filter', () => {
    expect(dialectNotes('PATCH', `${T}/Groups/g1`, patch({ op: 'Remove', path: 'members', value: [{ value: 'u1' }, { value: 'u2' }] }))).toEqual([
      'op "Remove" read as "remove"',
      'Remove of members with a value list removes only those 2 member(s), not all',
    ]);
    expect(dialectNotes('PATCH', `${T}/Groups/g1`, patch({ op: 'remove', path: 'members[value eq "u1"]' }))).toEqual([
      'Remove on the filtered path members[value eq "u1"] removes only the matching member',
    ]);
    expect(dialectNotes('PATCH', `${T}/Groups/g1`, patch({ op: 'remove', path: 'members' }))).toEqual([]);
  });

  it('notes the bare manager path and the manager shapes', () => {
    expect(dialectNotes('PATCH', `${T}/Users/u1`, patch({ op: 'replace', path: 'manager', value: 'm1' }))).toEqual([
      'bare path "manager" resolved to the enterprise extension\'s manager',
      'manager as a bare id read as {"value": id}',
    ]);
    expect(
      dialectNotes(
        'PATCH',
        `${T}/Users/u1`,
        patch({ op: 'add', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager', value: [{ value: 'm1' }] }),
      ),
    ).toEqual(['manager as an array of one read as its one value']);
    expect(dialectNotes('PATCH', `${T}/Users/u1`, patch({ op: 'replace', path: 'manager', value: '' }))).toContain(
      'manager "" (empty bare id) read as unassigned',
    );
    expect(dialectNotes('POST', `${T}/Users`, { userName: 'a', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { manager: 'm1' } })).toEqual([
      'manager as a bare id read as {"value": id}',
    ]);
  });

  it('notes role shapes: JSON-encoded value, displayName, bare name, one value for a list', () => {
    const notes = dialectNotes(
      'PATCH',
      `${T}/Users/u1`,
      patch({ op: 'Add', path: 'roles', value: [{ value: '{"id":"r1","value":"Admin","displayName":"Admin"}', displayName: 'Admin' }] }),
    );
    expect(notes).toEqual(['op "Add" read as "add"', 'roles: JSON-encoded role assignment in value decoded', 'roles: displayName read as display']);
    expect(dialectNotes('POST', `${T}/Users`, { userName: 'a', roles: 'Admin' })).toEqual([
      'roles: one value where a list is expected, read as a list of one',
      'roles: bare role name "Admin" read as {"value": …}',
    ]);
    expect(dialectNotes('PATCH', `${T}/Users/u1`, patch({ op: 'remove', path: 'roles', value: [{ value: 'Admin' }] }))).toEqual([
      'Remove of roles with a value removes by role name',
    ]);
  });

  it('notes the flag, value-path filters, boolean strings and manager in queries', () => {
    expect(dialectNotes('GET', `${T}/Users?aadOptscim062020&filter=${encodeURIComponent('emails[type eq "work"].value eq "a@x"')}`, undefined)).toEqual([
      'aadOptscim062020 flag in the query ignored',
      'value-path sub-attribute filter emails[type eq "work"].value read as "some emails element matching the filter has value …"',
    ]);
    expect(dialectNotes('GET', `${T}/Users?filter=${encodeURIComponent('id eq "u1" and manager eq "m1"')}`, undefined)).toEqual([
      'filter "manager eq …" compares manager.value',
    ]);
    expect(dialectNotes('POST', `${T}/Users/.search`, { filter: 'active eq "True"' })).toEqual(['active compared with the string "True" read as true']);
  });

  it('notes flattened extension attributes, the ADSCIM group schema and $ref null members on create', () => {
    expect(
      dialectNotes('POST', `${T}/Users`, { userName: 'a', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department': 'R&D', active: 'True' }),
    ).toEqual([
      'flattened extension attribute "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department" stored under its extension',
      'active "True" read as true',
    ]);
    expect(
      dialectNotes('POST', `${T}/Groups`, {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group', 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
        displayName: 'g',
        members: [{ value: 'u1', $ref: null }],
      }),
    ).toEqual(['ADSCIM group schema URN accepted as an empty extension', 'members with "$ref": null read as unassigned $ref']);
  });

  it('never fails on hostile or odd bodies', () => {
    for (const body of [
      null,
      42,
      'x',
      [],
      { Operations: 'x' },
      { Operations: [null, 1, { op: 7, path: 9 }, { op: 'Replace', path: '' }] },
      { roles: [null, 1] },
    ])
      expect(() => dialectNotes('PATCH', `${T}/Users/u1?%zz`, body)).not.toThrow();
    expect(dialectNotes('PATCH', '/oauth/t/token', { op: 'Replace' })).toEqual([]);
  });

  it('lists a shape once even when several operations show it', () => {
    expect(
      dialectNotes('PATCH', `${T}/Users/u1`, patch({ op: 'Replace', path: 'displayName', value: 'a' }, { op: 'Replace', path: 'title', value: 'b' })),
    ).toEqual(['op "Replace" read as "replace"']);
  });
});
