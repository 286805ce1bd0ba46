import { ScimError } from '../errors';
import { attr as def, SchemaDefinition } from '../schema/attribute';
import { enterpriseUserSchema, userSchema } from '../schema/user.schema';
import { FilterNode } from './ast';
import { compileMatcher, matchesFilter, matchesValueFilter } from './matcher';
import { parseFilter } from './parser';
import { cmp, ENTERPRISE } from './test-helpers';

const CUSTOM = 'urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName';
const customSchema: SchemaDefinition = {
  id: CUSTOM,
  name: 'Custom',
  description: 'test extension',
  attributes: [
    def('folders', 'string', { multiValued: true }),
    def('level', 'integer'),
    def('ratio', 'decimal'),
    def('scores', 'integer', { multiValued: true }),
    def('badge', 'string', { caseExact: true }),
    def('hiredAt', 'dateTime'),
    def('verified', 'boolean'),
    def('blob', 'binary'),
  ],
};
const schemas = [userSchema, enterpriseUserSchema, customSchema];

/** Based on the full User representation of RFC 7643 §8.2, with Entra-style string booleans and an extension. */
const user: Record<string, unknown> = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE, CUSTOM],
  id: '2819c223-7f76-453a-919d-413861904646',
  externalId: 'BJensen',
  meta: {
    resourceType: 'User',
    created: '2010-01-23T04:56:22Z',
    lastModified: '2011-05-13T04:42:34.1234567Z',
    version: 'W/"a330bc54f0671c9"',
  },
  userName: 'bjensen@example.com',
  name: { formatted: 'Ms. Barbara J Jensen, III', familyName: 'Jensen', givenName: 'Barbara', honorificPrefix: '' },
  displayName: 'Babs Jensen',
  nickName: null,
  title: 'Tour Guide',
  userType: 'Employee',
  active: 'True',
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  phoneNumbers: [
    { value: '555-555-5555', type: 'work' },
    { value: '555-555-4444', type: 'mobile', primary: 'False' },
  ],
  addresses: [{ type: 'work', streetAddress: '100 Universal City Plaza', locality: 'Hollywood', postalCode: '91608', country: 'USA' }],
  ims: [],
  photos: [{}],
  roles: [{ value: '', display: null }],
  [ENTERPRISE]: {
    employeeNumber: '701984',
    costCenter: '4130',
    department: 'Tour Operations',
    manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d', displayName: 'John Smith' },
  },
  [CUSTOM]: {
    folders: ['Inbox', 'Archive'],
    level: 5,
    ratio: 0.75,
    scores: [10, 20, 30],
    badge: 'Gold',
    hiredAt: '2015-03-01T09:00:00+01:00',
    verified: false,
    blob: 'QUJD',
  },
};

function matches(filter: string, resource: Record<string, unknown> = user, withSchemas = true): boolean {
  return matchesFilter(parseFilter(filter), resource, withSchemas ? { schemas } : {});
}

function errorOf(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScimError) return e;
    throw e;
  }
  throw new Error('expected a ScimError');
}

describe('matchesFilter with schemas', () => {
  const cases: Array<[string, string, boolean]> = [
    // Case-insensitive strings (caseExact false) and attribute names.
    ['eq', 'userName eq "bjensen@example.com"', true],
    ['eq ignores case', 'userName eq "BJensen@Example.COM"', true],
    ['eq other value', 'userName eq "someone@example.com"', false],
    ['attribute name ignores case', 'USERNAME eq "bjensen@example.com"', true],
    ['sub-attribute name ignores case', 'NAME.GIVENNAME eq "barbara"', true],
    ['ne', 'userName ne "someone"', true],
    ['ne ignores case', 'userName ne "BJENSEN@EXAMPLE.COM"', false],
    ['co', 'title co "our gu"', true],
    ['co ignores case', 'title co "TOUR"', true],
    ['co miss', 'title co "pilot"', false],
    ['co empty string', 'title co ""', true],
    ['sw', 'title sw "tour"', true],
    ['sw miss', 'title sw "guide"', false],
    ['ew', 'title ew "GUIDE"', true],
    ['ew miss', 'title ew "tour"', false],
    ['gt', 'title gt "tour"', true],
    ['gt equal', 'title gt "tour guide"', false],
    ['ge equal', 'title ge "TOUR GUIDE"', true],
    ['lt', 'title lt "u"', true],
    ['lt miss', 'title lt "t"', false],
    ['le', 'title le "tour guide"', true],
    ['wildcards are literal', 'title co "%"', false],
    ['underscore is literal', 'userName co "_"', false],
    ['sub-attribute', 'name.familyName eq "jensen"', true],
    ['sub-attribute miss', 'name.familyName eq "smith"', false],
    // caseExact attributes.
    ['id is caseExact', 'id eq "2819c223-7f76-453a-919d-413861904646"', true],
    ['id other case', 'id eq "2819C223-7F76-453A-919D-413861904646"', false],
    ['externalId is caseExact', 'externalId eq "BJensen"', true],
    ['externalId other case', 'externalId eq "bjensen"', false],
    ['externalId co caseExact', 'externalId co "Jen"', true],
    ['externalId co other case', 'externalId co "jen"', false],
    ['externalId ne other case', 'externalId ne "bjensen"', true],
    ['meta.resourceType caseExact', 'meta.resourceType eq "user"', false],
    ['custom caseExact', `${CUSTOM}:badge eq "Gold"`, true],
    ['custom caseExact other case', `${CUSTOM}:badge eq "gold"`, false],
    ['custom caseExact sw', `${CUSTOM}:badge sw "G"`, true],
    ['binary is caseExact', `${CUSTOM}:blob eq "qujd"`, false],
    ['binary eq', `${CUSTOM}:blob eq "QUJD"`, true],
    // Booleans, including Entra's "True"/"False" strings on either side.
    ['stored "True" eq true', 'active eq true', true],
    ['stored "True" eq false', 'active eq false', false],
    ['stored "True" eq "true"', 'active eq "true"', true],
    ['stored "True" eq "FALSE"', 'active eq "FALSE"', false],
    ['stored "True" ne false', 'active ne false', true],
    ['stored false eq false', `${CUSTOM}:verified eq false`, true],
    ['stored false eq "False"', `${CUSTOM}:verified eq "False"`, true],
    ['stored false ne true', `${CUSTOM}:verified ne true`, true],
    ['boolean in multi-valued', 'emails.primary eq true', true],
    ['stored "False" in multi-valued', 'phoneNumbers.primary eq false', true],
    ['boolean pr when false', `${CUSTOM}:verified pr`, true],
    // Numbers.
    ['integer eq', `${CUSTOM}:level eq 5`, true],
    ['integer eq other', `${CUSTOM}:level eq 6`, false],
    ['integer gt', `${CUSTOM}:level gt 4`, true],
    ['integer gt equal', `${CUSTOM}:level gt 5`, false],
    ['integer ge', `${CUSTOM}:level ge 5`, true],
    ['integer lt', `${CUSTOM}:level lt 5.5`, true],
    ['integer le', `${CUSTOM}:level le 4`, false],
    ['integer ne', `${CUSTOM}:level ne 5`, false],
    ['numeric string literal', `${CUSTOM}:level eq "5"`, true],
    ['decimal', `${CUSTOM}:ratio eq 0.75`, true],
    ['decimal exponent', `${CUSTOM}:ratio eq 75e-2`, true],
    ['decimal lt', `${CUSTOM}:ratio lt 1`, true],
    ['multi-valued numbers any', `${CUSTOM}:scores gt 25`, true],
    ['multi-valued numbers none', `${CUSTOM}:scores gt 30`, false],
    ['multi-valued numbers eq', `${CUSTOM}:scores eq 20`, true],
    // dateTime, compared chronologically.
    ['dateTime gt', 'meta.created gt "2010-01-01T00:00:00Z"', true],
    ['dateTime gt later', 'meta.created gt "2011-01-01T00:00:00Z"', false],
    ['dateTime eq same instant', 'meta.created eq "2010-01-23T04:56:22Z"', true],
    ['dateTime eq other zone', 'meta.created eq "2010-01-23T05:56:22+01:00"', true],
    ['dateTime eq with millis', 'meta.created eq "2010-01-23T04:56:22.000Z"', true],
    ['dateTime ge', 'meta.created ge "2010-01-23T04:56:22Z"', true],
    ['dateTime lt', 'meta.created lt "2010-01-23T04:56:22Z"', false],
    ['dateTime le', 'meta.created le "2010-01-23T04:56:22Z"', true],
    ['dateTime without zone is UTC', 'meta.created eq "2010-01-23T04:56:22"', true],
    ['date only is midnight UTC', 'meta.created gt "2010-01-23"', true],
    ['date only lt', 'meta.created lt "2010-01-23"', false],
    ['7 fractional digits compare by ms', 'meta.lastModified eq "2011-05-13T04:42:34.123Z"', true],
    ['7 fractional digits gt', 'meta.lastModified gt "2011-05-13T04:42:34.122Z"', true],
    ['dateTime ne', 'meta.lastModified ne "2011-05-13T04:42:34Z"', true],
    ['extension dateTime with offset', `${CUSTOM}:hiredAt eq "2015-03-01T08:00:00Z"`, true],
    ['chronological not lexical', `${CUSTOM}:hiredAt lt "2015-03-01T08:30:00Z"`, true],
    // Multi-valued: any value matches; complex without sub-attribute compares `value`.
    ['emails.value', 'emails.value eq "babs@jensen.org"', true],
    ['emails.type', 'emails.type eq "HOME"', true],
    ['emails via value', 'emails eq "BABS@jensen.org"', true],
    ['emails co', 'emails co "example.com"', true],
    ['emails ew', 'emails.value ew ".org"', true],
    ['emails miss', 'emails eq "nobody@example.com"', false],
    ['phone sw', 'phoneNumbers.value sw "555-555-4"', true],
    ['ne is not-eq on multi-valued', 'emails.type ne "work"', false],
    ['ne multi-valued none equal', 'emails.type ne "other"', true],
    ['multi-valued strings', `${CUSTOM}:folders eq "archive"`, true],
    ['multi-valued strings miss', `${CUSTOM}:folders eq "spam"`, false],
    ['rfc: emails co or emails.value co', 'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")', true],
    ['rfc: not of emails', 'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")', false],
    // Value paths: conditions hold on the same element.
    ['value path', 'emails[type eq "work" and value co "@example.com"]', true],
    ['value path, conditions on different elements', 'emails[type eq "home" and value co "@example.com"]', false],
    ['two value paths', 'emails[type eq "work"] and emails[type eq "home"]', true],
    ['value path not', 'emails[not (type eq "work")]', true],
    ['value path boolean', 'emails[primary eq true and type eq "work"]', true],
    ['value path boolean miss', 'emails[primary eq true and type eq "home"]', false],
    ['value path pr', 'emails[primary pr]', true],
    ['value path ne', 'phoneNumbers[type ne "work"]', true],
    ['addresses value path', 'addresses[type eq "work" and postalCode sw "916"]', true],
    // A sub-attribute after a value filter: some element matching the brackets has the sub-attribute (the same element).
    ['entra work email', 'emails[type eq "work"].value eq "bjensen@example.com"', true],
    ['work email ignores case (value is not caseExact)', 'emails[type eq "work"].value eq "BJensen@Example.COM"', true],
    ['home email is not a work email', 'emails[type eq "work"].value eq "babs@jensen.org"', false],
    ['home email under home', 'emails[type eq "home"].value eq "babs@jensen.org"', true],
    ['work email under home', 'emails[type eq "home"].value eq "bjensen@example.com"', false],
    ['work email co', 'emails[type eq "work"].value co "@EXAMPLE"', true],
    ['work email ew miss', 'emails[type eq "work"].value ew "@jensen.org"', false],
    ['work email pr', 'emails[type eq "work"].value pr', true],
    ['other email pr', 'emails[type eq "other"].value pr', false],
    ['phone without primary', 'phoneNumbers[type eq "work"].primary pr', false],
    ['work email ne other', 'emails[type eq "work"].value ne "babs@jensen.org"', true],
    ['work email ne itself', 'emails[type eq "work"].value ne "BJENSEN@example.com"', false],
    ['work email ne on a missing type', 'emails[type eq "other"].value ne "x"', true],
    ['work email eq null', 'emails[type eq "work"].value eq null', false],
    ['other email eq null', 'emails[type eq "other"].value eq null', true],
    ['work email ne null', 'emails[type eq "work"].value ne null', true],
    ['not work email', 'not (emails[type eq "work"].value eq "bjensen@example.com")', false],
    ['not home email as work', 'not (emails[type eq "work"].value eq "babs@jensen.org")', true],
    ['work email and userName', 'emails[type eq "work"].value eq "bjensen@example.com" and userName eq "bjensen@example.com"', true],
    ['work email and other userName', 'emails[type eq "work"].value eq "bjensen@example.com" and userName eq "someone"', false],
    ['work email or userName', 'emails[type eq "work"].value eq "nobody@x" or userName eq "BJENSEN@example.com"', true],
    ['work email and home value path', 'emails[type eq "work"].value pr and emails[type eq "home" and value ew ".org"]', true],
    ['primary email by boolean filter', 'emails[primary eq true].value eq "bjensen@example.com"', true],
    ['primary phone is "False"', 'phoneNumbers[primary eq false].value eq "555-555-4444"', true],
    ['address sub-attribute', 'addresses[type eq "work"].postalCode sw "916"', true],
    ['address sub-attribute miss', 'addresses[type eq "home"].postalCode sw "916"', false],
    ['single complex value path sub', 'name[givenName eq "barbara"].familyName eq "jensen"', true],
    ['empty multi-valued', 'ims[type eq "xmpp"]', false],
    ['empty multi-valued not', 'ims[not (type eq "xmpp")]', false],
    ['missing multi-valued', 'x509Certificates[value pr]', false],
    ['single complex value path', 'name[givenName eq "barbara" and familyName eq "JENSEN"]', true],
    ['single complex value path miss', 'name[givenName eq "john"]', false],
    ['extension complex value path', `${ENTERPRISE}:manager[displayName sw "john"]`, true],
    ['rfc: emails or ims', 'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]', true],
    // Extensions: URN prefix (case-insensitive) or resolved through the extension schemas.
    ['enterprise attribute', `${ENTERPRISE}:employeeNumber eq "701984"`, true],
    ['enterprise unprefixed', 'employeeNumber eq "701984"', true],
    ['enterprise URN upper case', `${ENTERPRISE.toUpperCase()}:EMPLOYEENUMBER eq "701984"`, true],
    ['enterprise sub-attribute', `${ENTERPRISE}:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`, true],
    ['enterprise sub-attribute unprefixed', 'manager.displayName co "smith"', true],
    // Entra's reference check (tutorial, "Example 4"): the single-valued manager compared through its value
    ['enterprise manager by its value, unprefixed', 'manager eq "26118915-6090-4610-87e4-49D8CA9F808D"', true],
    ['enterprise manager by its value, URN', `${ENTERPRISE}:manager eq "26118915-6090-4610-87e4-49d8ca9f808d"`, true],
    ['enterprise manager other value', 'manager eq "someone-else"', false],
    ['enterprise co', `${ENTERPRISE}:department co "operations"`, true],
    ['enterprise miss', `${ENTERPRISE}:division eq "x"`, false],
    ['core URN prefix', 'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "bjensen@example.com"', true],
    ['core URN prefix with sub', 'urn:ietf:params:scim:schemas:core:2.0:User:name.givenName sw "Bar"', true],
    ['custom extension', `${CUSTOM}:folders co "box"`, true],
    ['unknown schema', 'urn:ietf:params:scim:schemas:extension:2.0:Other:x eq "y"', false],
    // Missing attributes, null, and pr.
    ['missing eq', 'preferredLanguage eq "en"', false],
    ['missing ne', 'preferredLanguage ne "en"', true],
    ['missing pr', 'preferredLanguage pr', false],
    ['missing eq null', 'preferredLanguage eq null', true],
    ['missing ne null', 'preferredLanguage ne null', false],
    ['null value pr', 'nickName pr', false],
    ['null value eq null', 'nickName eq null', true],
    ['null value ne', 'nickName ne "x"', true],
    ['present eq null', 'userName eq null', false],
    ['present ne null', 'userName ne null', true],
    ['empty string pr', 'name.honorificPrefix pr', false],
    ['empty string eq ""', 'name.honorificPrefix eq ""', true],
    ['empty array pr', 'ims pr', false],
    ['empty array eq null', 'ims eq null', true],
    ['array of empty object pr', 'photos pr', false],
    ['array of empty values pr', 'roles pr', false],
    ['complex pr', 'name pr', true],
    ['multi-valued pr', 'emails pr', true],
    ['multi-valued sub pr', 'emails.primary pr', true],
    ['multi-valued sub pr none', 'emails.display pr', false],
    ['missing extension container', `${ENTERPRISE}:manager pr`, true],
    ['unknown attribute eq', 'favouriteColour eq "blue"', false],
    ['unknown attribute ne', 'favouriteColour ne "blue"', true],
    ['unknown sub-attribute', 'name.nickname eq "x"', false],
    // Logic.
    ['and', 'userName pr and title co "tour"', true],
    ['and false', 'userName pr and title co "pilot"', false],
    ['or', 'title co "pilot" or userType eq "employee"', true],
    ['or false', 'title co "pilot" or userType eq "intern"', false],
    ['not', 'not (title co "pilot")', true],
    ['not true', 'not (title co "tour")', false],
    ['precedence: and binds tighter', 'title co "pilot" and userName pr or displayName sw "babs"', true],
    ['precedence with parens', 'title co "pilot" and (userName pr or displayName sw "babs")', false],
    ['ne equals not eq', 'not (userName eq "x") and userName ne "x"', true],
  ];

  it.each(cases)('%s: %s → %s', (_name, filter, expected) => {
    expect(matches(filter)).toBe(expected);
  });
});

describe('matchesFilter without schemas', () => {
  const cases: Array<[string, string, boolean]> = [
    ['strings are case-insensitive', 'userName eq "BJENSEN@example.com"', true],
    ['common attributes keep caseExact', 'id eq "2819C223-7F76-453A-919D-413861904646"', false],
    ['externalId caseExact', 'externalId eq "bjensen"', false],
    ['literal decides boolean', 'active eq true', true],
    ['literal decides number', `${CUSTOM}:level gt 4`, true],
    ['number vs string value', `${CUSTOM}:level eq "5"`, false],
    ['objects compare through value', 'emails eq "babs@jensen.org"', true],
    ['sub-attribute', 'emails.type eq "work"', true],
    ['value path', 'emails[type eq "work" and primary eq true]', true],
    ['extension container found by key', `${ENTERPRISE}:employeeNumber eq "701984"`, true],
    ['extension URN case-insensitive', `${ENTERPRISE.toLowerCase()}:employeenumber eq "701984"`, true],
    ['core URN listed in schemas', 'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "bjensen@example.com"', true],
    ['meta dateTime is still typed', 'meta.created gt "2010-01-01"', true],
    ['unknown strings compare as text', 'title gt "tour"', true],
    ['pr', 'displayName pr', true],
    ['missing ne', 'nothing ne "x"', true],
  ];

  it.each(cases)('%s: %s → %s', (_name, filter, expected) => {
    expect(matches(filter, user, false)).toBe(expected);
  });
});

describe('matchesFilter: Entra resources', () => {
  const group = {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    id: '40734ae655284ad3abcc',
    displayName: 'Group_b6b8e297',
    members: [{ value: 'af4fe7d7f19d4de38e06' }, { value: 'b1' }],
  };
  const groupSchema: SchemaDefinition = {
    id: 'urn:ietf:params:scim:schemas:core:2.0:Group',
    name: 'Group',
    description: 'Group',
    attributes: [
      def('displayName', 'string'),
      def('members', 'complex', { multiValued: true, subAttributes: [def('value', 'string', { caseExact: true }), def('display', 'string')] }),
    ],
  };

  it.each<[string, boolean]>([
    ['id eq "40734ae655284ad3abcc" and members eq "af4fe7d7f19d4de38e06"', true],
    ['id eq "40734ae655284ad3abcc" and members eq "AF4FE7D7F19D4DE38E06"', false],
    ['id eq "40734ae655284ad3abcc" and members eq "nobody"', false],
    ['displayName eq "group_B6B8E297"', true],
    ['members[value eq "b1"]', true],
    ['members pr', true],
  ])('%s → %s', (filter, expected) => {
    expect(matchesFilter(parseFilter(filter), group, { schemas: [groupSchema] })).toBe(expected);
  });

  it('finds users by userName and externalId', () => {
    const entraUser = { userName: 'Test_User_dfeef4c5-5681-4387-b016-bdf221e82081', externalId: 'Test_User_00aa00aa', active: 'False' };
    expect(matches('userName eq "Test_User_dfeef4c5-5681-4387-b016-bdf221e82081"', entraUser)).toBe(true);
    expect(matches('userName eq "test_user_DFEEF4C5-5681-4387-b016-bdf221e82081"', entraUser)).toBe(true);
    expect(matches('externalId eq "Test_User_00aa00aa"', entraUser)).toBe(true);
    expect(matches('externalId eq "test_user_00aa00aa"', entraUser)).toBe(false);
    expect(matches('active eq false', entraUser)).toBe(true);
  });
});

describe('matchesFilter: invalid filters throw invalidFilter whatever the data', () => {
  const cases: Array<[string, string | FilterNode, string]> = [
    ['gt on boolean', 'active gt "True"', "'gt' cannot be used on a boolean attribute"],
    ['co on boolean', 'active co "t"', "'co' cannot be used on a boolean attribute"],
    ['boolean with other string', 'active eq "yes"', 'compared with true or false'],
    ['boolean with number', 'active eq 1', 'compared with true or false'],
    ['gt on complex', 'name gt "a"', "'gt' cannot be used on complex attribute 'name'"],
    ['eq on single complex', 'name eq "Barbara"', "'name' is a complex attribute"],
    ['gt on multi-valued complex', 'emails gt "a"', "'gt' cannot be used on complex attribute 'emails'"],
    ['le on multi-valued complex', 'emails le "a"', "'le' cannot be used on complex attribute"],
    ['complex without value sub-attribute', 'addresses eq "x"', "'addresses' is a complex attribute"],
    ['gt on binary', `${CUSTOM}:blob gt "A"`, "'gt' cannot be used on a binary attribute"],
    ['string attribute with number', 'userName eq 5', 'needs a string value'],
    ['string attribute with boolean', 'title ne true', 'needs a string value'],
    ['number attribute with text', `${CUSTOM}:level eq "five"`, 'compared with a number'],
    ['co on number', `${CUSTOM}:level co "5"`, "'co' cannot be used on a numeric attribute"],
    ['dateTime with text', 'meta.created gt "yesterday"', 'compared with a date'],
    ['dateTime with number', 'meta.created gt 5', 'compared with a date'],
    ['sw on dateTime', 'meta.created sw "2010"', "'sw' cannot be used on a dateTime attribute"],
    ['value path on simple attribute', 'userName[value eq "x"]', "needs a complex attribute, and 'userName' is not one"],
    ['gt on boolean inside value path', 'emails[primary gt "a"]', "'gt' cannot be used on a boolean attribute"],
    ['value path sub on simple attribute', 'userName[value eq "x"].value eq "x"', "needs a complex attribute, and 'userName' is not one"],
    ['gt on boolean value path sub', 'emails[type eq "work"].primary gt "a"', "'gt' cannot be used on a boolean attribute"],
    ['value path sub with wrong literal type', 'emails[type eq "work"].primary eq "yes"', 'compared with true or false'],
    [
      'nested value path (hand-built)',
      {
        kind: 'valuePath',
        attribute: { attribute: 'emails' },
        filter: { kind: 'valuePath', attribute: { attribute: 'x' }, filter: { kind: 'present', attribute: { attribute: 'y' } } },
      },
      'cannot be nested',
    ],
    [
      'URN in value path (hand-built)',
      { kind: 'valuePath', attribute: { attribute: 'emails' }, filter: { kind: 'present', attribute: { schema: 'urn:a:b', attribute: 'type' } } },
      'cannot have a schema URN',
    ],
    ['gt null (hand-built)', cmp('title', 'gt', null), "'gt' cannot be used with null"],
  ];

  it.each(cases)('%s', (_name, filter, message) => {
    const node = typeof filter === 'string' ? parseFilter(filter) : filter;
    for (const resource of [user, {}]) {
      const err = errorOf(() => matchesFilter(node, resource, { schemas }));
      expect(err.status).toBe(400);
      expect(err.scimType).toBe('invalidFilter');
      expect(err.detail).toContain(message);
    }
  });

  it('validates when compiled, before any resource is seen', () => {
    expect(() => compileMatcher(parseFilter('title pr or active gt "x"'), { schemas })).toThrow(ScimError);
  });

  it('a compiled matcher can be reused', () => {
    const m = compileMatcher(parseFilter('emails[type eq "work"]'), { schemas });
    expect(m(user)).toBe(true);
    expect(m({ emails: [{ type: 'home' }] })).toBe(false);
    expect(m({})).toBe(false);
  });
});

describe('matchesFilter: odd documents', () => {
  it.each<[string, Record<string, unknown>, boolean]>([
    ['multi-valued stored as a single object', { emails: { value: 'a@b.c', type: 'work' } }, true],
    ['multi-valued containing null', { emails: [null, { value: 'a@b.c', type: 'work' }] }, true],
    ['element that is not an object', { emails: ['a@b.c'] }, false],
    ['single-valued stored as array', { title: ['Tour Guide'] }, false],
    ['number where string expected', { title: 5 }, false],
    ['extension container not an object', { [ENTERPRISE]: 'x' }, false],
  ])('%s', (_name, resource, expected) => {
    const filter =
      Object.keys(resource)[0] === 'title' ? 'title eq "Tour Guide"' : Object.keys(resource)[0] === 'emails' ? 'emails[type eq "work"]' : 'employeeNumber pr';
    expect(matches(filter, resource)).toBe(expected);
  });

  it('reads keys case-insensitively when a document is not in canonical case', () => {
    expect(matches('userName eq "x"', { USERNAME: 'x' })).toBe(true);
    expect(matches('emails[type eq "work"]', { Emails: [{ TYPE: 'work' }] })).toBe(true);
  });

  it('does not look at inherited properties', () => {
    expect(matches('constructor pr', {}, false)).toBe(false);
    expect(matches('toString pr', {}, false)).toBe(false);
  });

  it('dateTime values that are not real dates never match', () => {
    for (const created of ['2020-02-30T00:00:00Z', '2020-01-01', 'garbage', '2020-01-01T00:00:00', 42]) {
      const r = { meta: { created } };
      expect(matches('meta.created gt "1900-01-01"', r)).toBe(false);
      expect(matches('meta.created le "2100-01-01"', r)).toBe(false);
      expect(matches('meta.created ne "2020-01-01"', r)).toBe(true);
    }
    expect(matches('meta.created eq "2024-02-29T00:00:00Z"', { meta: { created: '2024-02-29T00:00:00Z' } })).toBe(true);
  });

  it('orders strings by code point', () => {
    // U+E000 sorts after U+1F600 in UTF-16 code units but before it in code points (and in UTF-8 / Postgres "C").
    expect(matches('title lt "\u{1F600}"', { title: '\uE000' })).toBe(true);
    expect(matches('title gt "\u{1F600}"', { title: '\uE000' })).toBe(false);
  });
});

describe('matchesValueFilter (PATCH value filters)', () => {
  const emailsDef = userSchema.attributes.find((a) => a.name === 'emails');
  const emails = user.emails as unknown[];

  it('selects the elements that match', () => {
    const filter = parseFilter('type eq "WORK"');
    expect(emails.filter((e) => matchesValueFilter(filter, e, emailsDef))).toEqual([emails[0]]);
  });

  it('uses sub-attribute definitions', () => {
    const members = {
      name: 'members',
      type: 'complex' as const,
      multiValued: true,
      required: false,
      caseExact: false,
      mutability: 'readWrite' as const,
      returned: 'default' as const,
      uniqueness: 'none' as const,
      subAttributes: [def('value', 'string', { caseExact: true })],
    };
    expect(matchesValueFilter(parseFilter('value eq "ABC"'), { value: 'ABC' }, members)).toBe(true);
    expect(matchesValueFilter(parseFilter('value eq "abc"'), { value: 'ABC' }, members)).toBe(false);
    expect(matchesValueFilter(parseFilter('value eq "abc"'), { value: 'ABC' })).toBe(true);
  });

  it('never matches elements that are not objects', () => {
    expect(matchesValueFilter(parseFilter('not (type eq "work")'), 'a@b.c', emailsDef)).toBe(false);
    expect(matchesValueFilter(parseFilter('not (type eq "work")'), null, emailsDef)).toBe(false);
  });
});
