import { ScimError } from '../errors';
import { FilterNode, PatchPath } from './ast';
import { formatFilter, formatPatchPath, MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, parseFilter, parsePatchPath } from './parser';
import { and, attr, cmp, ENTERPRISE, not, or, pr, vp } from './test-helpers';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:2.0:CustomExtensionName';
const METADATA = 'urn:ietf:params:scim:schemas:extension:2.0:Metadata';

function errorOf(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScimError) return e;
    throw e;
  }
  throw new Error('expected a ScimError');
}

describe('parseFilter: valid filters', () => {
  const cases: Array<[string, string, FilterNode]> = [
    // Filters Microsoft Entra ID sends (Tutorial: Develop and plan provisioning for a SCIM endpoint).
    ['entra userName', 'userName eq "Test_User_dfeef4c5-5681-4387-b016-bdf221e82081"', cmp('userName', 'eq', 'Test_User_dfeef4c5-5681-4387-b016-bdf221e82081')],
    [
      'entra externalId',
      'externalId eq "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee"',
      cmp('externalId', 'eq', 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee'),
    ],
    [
      'entra displayName',
      'displayName eq "Group_b6b8e297-6a12-4f44-9bd7-ef8b7c3e46d4"',
      cmp('displayName', 'eq', 'Group_b6b8e297-6a12-4f44-9bd7-ef8b7c3e46d4'),
    ],
    [
      'entra group membership',
      'id eq "40734ae655284ad3abcc" and members eq "af4fe7d7f19d4de38e06"',
      and(cmp('id', 'eq', '40734ae655284ad3abcc'), cmp('members', 'eq', 'af4fe7d7f19d4de38e06')),
    ],
    ['entra email userName', 'userName eq "x@contoso.com"', cmp('userName', 'eq', 'x@contoso.com')],
    // Every operator.
    ['eq', 'title eq "a"', cmp('title', 'eq', 'a')],
    ['ne', 'title ne "a"', cmp('title', 'ne', 'a')],
    ['co', 'title co "a"', cmp('title', 'co', 'a')],
    ['sw', 'title sw "a"', cmp('title', 'sw', 'a')],
    ['ew', 'title ew "a"', cmp('title', 'ew', 'a')],
    ['gt', 'title gt "a"', cmp('title', 'gt', 'a')],
    ['ge', 'title ge "a"', cmp('title', 'ge', 'a')],
    ['lt', 'title lt "a"', cmp('title', 'lt', 'a')],
    ['le', 'title le "a"', cmp('title', 'le', 'a')],
    ['pr', 'title pr', pr('title')],
    ['gt number', 'level gt 5', cmp('level', 'gt', 5)],
    // Keywords are case-insensitive; attribute names keep their case.
    ['EQ', 'userName EQ "x"', cmp('userName', 'eq', 'x')],
    ['Co', 'userName Co "x"', cmp('userName', 'co', 'x')],
    ['PR', 'Title PR', pr('Title')],
    ['AND', 'a pr AND b pr', and(pr('a'), pr('b'))],
    ['Or', 'a pr Or b pr', or(pr('a'), pr('b'))],
    ['NOT', 'NOT (a pr)', not(pr('a'))],
    ['not without space', 'not(a pr)', not(pr('a'))],
    ['TRUE', 'active eq TRUE', cmp('active', 'eq', true)],
    ['False', 'active eq False', cmp('active', 'eq', false)],
    ['Null', 'title eq Null', cmp('title', 'eq', null)],
    // Precedence and associativity.
    ['and over or (right)', 'a pr or b pr and c pr', or(pr('a'), and(pr('b'), pr('c')))],
    ['and over or (left)', 'a pr and b pr or c pr', or(and(pr('a'), pr('b')), pr('c'))],
    ['and left-assoc', 'a pr and b pr and c pr', and(and(pr('a'), pr('b')), pr('c'))],
    ['or left-assoc', 'a pr or b pr or c pr', or(or(pr('a'), pr('b')), pr('c'))],
    ['parens override', '(a pr or b pr) and c pr', and(or(pr('a'), pr('b')), pr('c'))],
    ['parens on the right', 'a pr and (b pr or c pr)', and(pr('a'), or(pr('b'), pr('c')))],
    ['right-nested and', 'a pr and (b pr and c pr)', and(pr('a'), and(pr('b'), pr('c')))],
    ['not binds to its group', 'not (a pr) and b pr', and(not(pr('a')), pr('b'))],
    ['not of or', 'a pr and not (b pr or c pr)', and(pr('a'), not(or(pr('b'), pr('c'))))],
    ['double not', 'not (not (a pr))', not(not(pr('a')))],
    ['mixed chain', 'a pr or b pr and c pr or d pr', or(or(pr('a'), and(pr('b'), pr('c'))), pr('d'))],
    ['redundant parens', '((a pr))', pr('a')],
    ['spaces in parens', '( a pr )', pr('a')],
    ['no spaces around parens', '(a pr)and(b pr)', and(pr('a'), pr('b'))],
    ['or directly before paren', 'a pr or(b pr)', or(pr('a'), pr('b'))],
    ['keyword right after a string', 'a eq "x"and b pr', and(cmp('a', 'eq', 'x'), pr('b'))],
    // RFC 7644 §3.4.2.2 examples.
    ['rfc 1', 'userName eq "bjensen"', cmp('userName', 'eq', 'bjensen')],
    ['rfc 2', 'name.familyName co "O\'Malley"', cmp('name.familyName', 'co', "O'Malley")],
    ['rfc 3', 'userName sw "J"', cmp('userName', 'sw', 'J')],
    ['rfc 4', `${CORE}:userName sw "J"`, cmp(`${CORE}:userName`, 'sw', 'J')],
    ['rfc 5', 'title pr', pr('title')],
    ['rfc 6', 'meta.lastModified gt "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'gt', '2011-05-13T04:42:34Z')],
    ['rfc 7', 'meta.lastModified ge "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'ge', '2011-05-13T04:42:34Z')],
    ['rfc 8', 'meta.lastModified lt "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'lt', '2011-05-13T04:42:34Z')],
    ['rfc 9', 'meta.lastModified le "2011-05-13T04:42:34Z"', cmp('meta.lastModified', 'le', '2011-05-13T04:42:34Z')],
    ['rfc 10', 'title pr and userType eq "Employee"', and(pr('title'), cmp('userType', 'eq', 'Employee'))],
    ['rfc 11', 'title pr or userType eq "Intern"', or(pr('title'), cmp('userType', 'eq', 'Intern'))],
    ['rfc 12', `schemas eq "${ENTERPRISE}"`, cmp('schemas', 'eq', ENTERPRISE)],
    [
      'rfc 13',
      'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
      and(cmp('userType', 'eq', 'Employee'), or(cmp('emails', 'co', 'example.com'), cmp('emails.value', 'co', 'example.org'))),
    ],
    [
      'rfc 14',
      'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
      and(cmp('userType', 'ne', 'Employee'), not(or(cmp('emails', 'co', 'example.com'), cmp('emails.value', 'co', 'example.org')))),
    ],
    ['rfc 15', 'userType eq "Employee" and (emails.type eq "work")', and(cmp('userType', 'eq', 'Employee'), cmp('emails.type', 'eq', 'work'))],
    [
      'rfc 16',
      'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
      and(cmp('userType', 'eq', 'Employee'), vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com')))),
    ],
    [
      'rfc 17',
      'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
      or(
        vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com'))),
        vp('ims', and(cmp('type', 'eq', 'xmpp'), cmp('value', 'co', '@foo.com'))),
      ),
    ],
    // Value paths.
    ['value path', 'emails[type eq "work"]', vp('emails', cmp('type', 'eq', 'work'))],
    ['value path with not', 'emails[not (type eq "work")]', vp('emails', not(cmp('type', 'eq', 'work')))],
    ['value path with parens', 'emails[(type eq "work")]', vp('emails', cmp('type', 'eq', 'work'))],
    ['value path with or', 'emails[type eq "work" or type eq "home"]', vp('emails', or(cmp('type', 'eq', 'work'), cmp('type', 'eq', 'home')))],
    ['value path then and', 'emails[type eq "work"] and userName pr', and(vp('emails', cmp('type', 'eq', 'work')), pr('userName'))],
    ['value path with space before [', 'emails [type eq "work"]', vp('emails', cmp('type', 'eq', 'work'))],
    ['value path with URN', `${CORE}:emails[type eq "work"]`, vp(`${CORE}:emails`, cmp('type', 'eq', 'work'))],
    ['value path on members', 'members[value eq "2819c223"]', vp('members', cmp('value', 'eq', '2819c223'))],
    ['value path $ref', 'members[$ref pr]', vp('members', pr('$ref'))],
    ['value path pr and boolean', 'emails[primary eq true and value pr]', vp('emails', and(cmp('primary', 'eq', true), pr('value')))],
    ['value path inside parens', '(emails[type eq "work"])', vp('emails', cmp('type', 'eq', 'work'))],
    ['addresses', 'addresses[type eq "work" and postalCode sw "91"]', vp('addresses', and(cmp('type', 'eq', 'work'), cmp('postalCode', 'sw', '91')))],
    // A sub-attribute after a value filter, as Entra sends it to match users by work email (lowered to value paths).
    [
      'entra work email',
      'emails[type eq "work"].value eq "ada@contoso.example"',
      vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'eq', 'ada@contoso.example'))),
    ],
    ['value path sub co', 'emails[type eq "work"].value co "@x"', vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@x')))],
    ['value path sub pr', 'emails[type eq "work"].value pr', vp('emails', and(cmp('type', 'eq', 'work'), pr('value')))],
    ['value path sub ne is not eq', 'emails[type eq "work"].value ne "x"', not(vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'eq', 'x'))))],
    ['value path sub eq null is not pr', 'emails[type eq "work"].value eq null', not(vp('emails', and(cmp('type', 'eq', 'work'), pr('value'))))],
    ['value path sub ne null is pr', 'emails[type eq "work"].value ne null', vp('emails', and(cmp('type', 'eq', 'work'), pr('value')))],
    ['value path sub keyword case', 'emails[type EQ "work"].value EQ "x"', vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'eq', 'x')))],
    ['value path sub with space before op', 'emails[type eq "work"].value   eq "x"', vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'eq', 'x')))],
    [
      'value path sub with or inside',
      'emails[type eq "work" or primary eq true].value sw "a"',
      vp('emails', and(or(cmp('type', 'eq', 'work'), cmp('primary', 'eq', true)), cmp('value', 'sw', 'a'))),
    ],
    [
      'value path sub and userName',
      'emails[type eq "work"].value eq "x" and userName eq "u"',
      and(vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'eq', 'x'))), cmp('userName', 'eq', 'u')),
    ],
    ['value path sub under not', 'not (emails[type eq "work"].value eq "x")', not(vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'eq', 'x'))))],
    [
      'two value path subs',
      'emails[type eq "work"].value ew "@x" or addresses[type eq "work"].postalCode sw "91"',
      or(
        vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'ew', '@x'))),
        vp('addresses', and(cmp('type', 'eq', 'work'), cmp('postalCode', 'sw', '91'))),
      ),
    ],
    [
      'value path sub next to a value path',
      'emails[type eq "work"].value eq "x" and emails[type eq "home"]',
      and(vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'eq', 'x'))), vp('emails', cmp('type', 'eq', 'home'))),
    ],
    ['value path sub with URN', `${CORE}:emails[type eq "work"].value eq "x"`, vp(`${CORE}:emails`, and(cmp('type', 'eq', 'work'), cmp('value', 'eq', 'x')))],
    ['value path sub $ref', 'members[type eq "User"].$ref pr', vp('members', and(cmp('type', 'eq', 'User'), pr('$ref')))],
    [
      'value path sub then and without space',
      '(emails[type eq "work"].value pr)and(b pr)',
      and(vp('emails', and(cmp('type', 'eq', 'work'), pr('value'))), pr('b')),
    ],
    // Sub-attributes and URN paths.
    ['sub-attribute', 'name.givenName eq "Barbara"', cmp('name.givenName', 'eq', 'Barbara')],
    ['sub $ref', 'members.$ref pr', pr('members.$ref')],
    ['enterprise manager.value', `${ENTERPRISE}:manager.value eq "26118915"`, cmp(`${ENTERPRISE}:manager.value`, 'eq', '26118915')],
    ['enterprise employeeNumber', `${ENTERPRISE}:employeeNumber eq "701984"`, cmp(`${ENTERPRISE}:employeeNumber`, 'eq', '701984')],
    ['custom extension', `${CUSTOM}:folders pr`, pr(`${CUSTOM}:folders`)],
    ['metadata extension', `${METADATA}:costCode eq "C-1"`, cmp(`${METADATA}:costCode`, 'eq', 'C-1')],
    ['core URN with sub', `${CORE}:name.familyName co "J"`, cmp(`${CORE}:name.familyName`, 'co', 'J')],
    ['URN case kept', 'URN:IETF:params:scim:schemas:core:2.0:USER:UserName eq "x"', cmp('URN:IETF:params:scim:schemas:core:2.0:USER:UserName', 'eq', 'x')],
    ['names with - _ digits', 'x-y_z9 eq 1', cmp('x-y_z9', 'eq', 1)],
    ['$ref top-level', '$ref eq "https://x/Users/1"', cmp('$ref', 'eq', 'https://x/Users/1')],
    ['keyword-like names', 'notes pr and order pr or andy pr', or(and(pr('notes'), pr('order')), pr('andy'))],
    ['operator-like names', 'prefix pr and eqx eq 1', and(pr('prefix'), cmp('eqx', 'eq', 1))],
    // Strings and escapes.
    ['escaped quote', 'title eq "a\\"b"', cmp('title', 'eq', 'a"b')],
    ['escaped backslash', 'title eq "a\\\\b"', cmp('title', 'eq', 'a\\b')],
    ['escaped slash', 'title eq "a\\/b"', cmp('title', 'eq', 'a/b')],
    ['control escapes', 'title eq "\\b\\f\\n\\r\\t"', cmp('title', 'eq', '\b\f\n\r\t')],
    ['unicode escape', 'title eq "caf\\u00e9"', cmp('title', 'eq', 'café')],
    ['unicode escape upper hex', 'title eq "\\u0041\\u00E9"', cmp('title', 'eq', 'Aé')],
    ['surrogate pair escape', 'title eq "\\uD83D\\uDE00"', cmp('title', 'eq', '😀')],
    ['raw unicode', 'title eq "Zoë 😀 日本"', cmp('title', 'eq', 'Zoë 😀 日本')],
    ['empty string', 'title eq ""', cmp('title', 'eq', '')],
    ['keywords inside a string', 'title eq "a and b or not (c)"', cmp('title', 'eq', 'a and b or not (c)')],
    ['brackets inside a string', 'title eq "[)(]"', cmp('title', 'eq', '[)(]')],
    ['single quote inside a string', `title eq "it's"`, cmp('title', 'eq', "it's")],
    // Numbers.
    ['zero', 'n eq 0', cmp('n', 'eq', 0)],
    ['integer', 'n eq 42', cmp('n', 'eq', 42)],
    ['negative', 'n eq -7', cmp('n', 'eq', -7)],
    ['decimal', 'n eq 3.14', cmp('n', 'eq', 3.14)],
    ['negative decimal', 'n lt -0.5', cmp('n', 'lt', -0.5)],
    ['exponent', 'n eq 1e3', cmp('n', 'eq', 1000)],
    ['negative exponent', 'n eq 1E-2', cmp('n', 'eq', 0.01)],
    ['signed exponent', 'n eq 2.5e+10', cmp('n', 'eq', 2.5e10)],
    ['negative zero', 'n eq -0', cmp('n', 'eq', -0)],
    // Whitespace.
    ['leading and trailing space', '  userName eq "x"  ', cmp('userName', 'eq', 'x')],
    ['several spaces', 'userName   eq    "x"   and   title  pr', and(cmp('userName', 'eq', 'x'), pr('title'))],
    ['tabs and newlines', 'userName\teq\n"x"\r\nand title pr', and(cmp('userName', 'eq', 'x'), pr('title'))],
  ];

  it.each(cases)('%s: %s', (_name, text, expected) => {
    expect(parseFilter(text)).toEqual(expected);
  });

  it.each(cases)('%s: round-trips through formatFilter', (_name, text) => {
    const ast = parseFilter(text);
    expect(parseFilter(formatFilter(ast))).toEqual(ast);
  });
});

describe('parseFilter: invalid filters', () => {
  const cases: Array<[string, string, string | RegExp]> = [
    ['empty', '', 'filter is empty'],
    ['blank', '   \t ', 'filter is empty'],
    ['trailing word', 'userName eq "x" foo', "expected 'and', 'or' or the end of the filter but found 'foo'"],
    ['trailing string', 'userName eq "x" "y"', 'but found a string'],
    ['unbalanced close paren', 'userName eq "x")', "found ')'"],
    ['unbalanced close bracket', 'userName eq "x"]', "found ']'"],
    ['missing close paren', '(userName eq "x"', "missing ')'"],
    ['missing close paren nested', '((a pr)', "missing ')'"],
    ['paren closed by bracket', '(a pr]', "expected 'and', 'or' or ')' but found ']'"],
    ['missing close bracket', 'emails[type eq "work"', "missing ']'"],
    ['bracket closed by paren', 'emails[type eq "work")', "expected 'and', 'or' or ']' but found ')'"],
    ['empty parens', '()', "unexpected ')'"],
    ['empty not', 'not ()', "unexpected ')'"],
    ['empty value path', 'emails[]', "unexpected ']'"],
    ['missing value at end', 'userName eq', "missing value after 'eq'"],
    ['missing value before paren', '(userName eq)', "missing value after 'eq'"],
    ['missing value before and', 'userName eq and title pr', "invalid value 'and'"],
    ['missing operator', 'userName', "missing operator after 'userName'"],
    ['missing operator before value', 'userName "x"', "expected an operator after 'userName' but found a string"],
    ['unknown operator', 'userName equals "x"', "unknown operator 'equals'"],
    ['symbolic operator', 'userName == "x"', "expected an operator after 'userName' but found '='"],
    ['operator glued to number', 'userName eq5', "unknown operator 'eq5'"],
    ['pr with string', 'title pr "x"', "'pr' takes no value"],
    ['pr with boolean', 'title pr true', "'pr' takes no value"],
    ['pr with number', 'title pr 5', "'pr' takes no value"],
    ['nested value path', 'emails[type[value eq "x"] eq "y"]', 'cannot be nested'],
    ['nested value path 2', 'emails[x[y pr]]', 'cannot be nested'],
    ['value path sub without operator', 'emails[type eq "work"].value', "missing operator after 'emails[…].value'"],
    ['value path sub without name', 'emails[type eq "work"]. eq "x"', "missing sub-attribute name after '].'"],
    ['value path sub at end', 'emails[type eq "work"].', "missing sub-attribute name after '].'"],
    ['value path sub of a sub', 'emails[type eq "work"].value.x eq "y"', "'value.x' after ']' must be one sub-attribute name"],
    ['value path sub with URN', 'emails[type eq "work"].urn:ietf:params:x:value eq "y"', 'cannot have a schema URN'],
    ['value path sub bad name', 'emails[type eq "work"].1x eq "y"', "invalid sub-attribute name '1x'"],
    ['value path sub then value path', 'emails[type eq "work"].value[type pr]', 'value filters cannot be nested'],
    ['value path sub then spaced value path', 'emails[type eq "work"].value [type pr] eq "x"', 'value filters cannot be nested'],
    ['value path sub unknown operator', 'emails[type eq "work"].value equals "x"', "unknown operator 'equals'"],
    ['value path sub pr with value', 'emails[type eq "work"].value pr "x"', "'pr' takes no value"],
    ['value path sub missing value', 'emails[type eq "work"].value eq', "missing value after 'eq'"],
    ['value path sub substring with number', 'emails[type eq "work"].value co 5', "'co' requires a string value"],
    ['value path sub inside value path', 'emails[x[type pr].value eq "y"]', 'cannot be nested'],
    ['value path on sub-attribute then sub', 'name.givenName[value eq "x"].y eq "z"', 'must follow an attribute name'],
    ['space before value path sub', 'emails[type eq "work"] .value eq "x"', "expected 'and', 'or' or the end of the filter but found '.value'"],
    ['value path on sub-attribute', 'name.givenName[value eq "x"]', 'must follow an attribute name'],
    ['URN inside value path', 'emails[urn:ietf:params:x:type eq "work"]', 'cannot have a schema URN'],
    ['sub-attribute inside value path', 'emails[type.x eq "work"]', 'not allowed inside a value filter'],
    ['not without parens', 'not userName eq "x"', "'not' must be followed by '('"],
    ['dangling and', 'userName eq "x" and', 'expected an expression but the filter ended'],
    ['dangling or in group', '(userName eq "x" or)', "unexpected ')'"],
    ['leading and', 'and userName eq "x"', "missing expression before 'and'"],
    ['double or', 'a pr or or b pr', "missing expression before 'or'"],
    ['double and', 'a pr and and b pr', "missing expression before 'and'"],
    ['unquoted string', 'userName eq bjensen', "invalid value 'bjensen'"],
    ['single-quoted string', "userName eq 'x'", 'double quotes'],
    ['bad escape', 'title eq "\\x41"', "invalid escape '\\x'"],
    ['short unicode escape', 'title eq "\\u12"', 'invalid \\u escape'],
    ['non-hex unicode escape', 'title eq "\\u12G4"', 'invalid \\u escape'],
    ['unterminated string', 'title eq "abc', 'unterminated string'],
    ['unterminated after backslash', 'title eq "abc\\', 'unterminated string'],
    ['raw control character', 'title eq "a\nb"', 'control characters'],
    ['leading zero', 'n eq 01', "invalid number '01'"],
    ['trailing dot', 'n eq 1.', "invalid number '1.'"],
    ['leading dot', 'n eq .5', "invalid value '.5'"],
    ['bare exponent', 'n eq 1e', "invalid number '1e'"],
    ['double minus', 'n eq --1', "invalid number '--1'"],
    ['two dots', 'n eq 1.2.3', "invalid number '1.2.3'"],
    ['number then letters', 'n eq 5x', "invalid number '5x'"],
    ['plus sign', 'n eq +1', "expected a value after 'eq' but found '+'"],
    ['number out of range', 'n eq 1e999', 'out of range'],
    ['name starting with digit', '1abc eq "x"', "invalid attribute name '1abc'"],
    ['double dot', 'a..b eq "x"', "attribute path 'a..b' has more than one '.'"],
    ['empty sub-attribute', 'a. eq "x"', "empty attribute name in 'a.'"],
    ['three-part path', 'a.b.c eq "x"', 'more than one'],
    ['trailing dot in path', 'name. eq "x"', "empty attribute name in 'name.'"],
    ['leading dot in path', '.name eq "x"', 'empty attribute name'],
    ['bad $ name', '$foo eq 1', "invalid attribute name '$foo'"],
    ['URN without attribute', 'urn:ietf:params:scim: eq "x"', 'missing attribute name after schema URN'],
    ['URN that is not one', 'foo:bar eq "x"', "invalid schema URN 'foo'"],
    ['string operator with number', 'userName co 5', "'co' requires a string value"],
    ['string operator with boolean', 'userName sw true', "'sw' requires a string value"],
    ['string operator with null', 'userName ew null', "'ew' cannot be used with null"],
    ['ordering with boolean', 'active gt true', "'gt' cannot be used with a boolean"],
    ['ordering with false', 'active lt false', "'lt' cannot be used with a boolean"],
    ['ordering with null', 'title ge null', "'ge' cannot be used with null"],
    ['stray bracket', 'userName eq "x" [', "found '['"],
    ['string where attribute expected', '"x" eq userName', 'expected an attribute name but found a string'],
  ];

  it.each(cases)('%s: %s', (_name, text, message) => {
    const err = errorOf(() => parseFilter(text));
    expect(err.status).toBe(400);
    expect(err.scimType).toBe('invalidFilter');
    expect(err.detail).toContain(typeof message === 'string' ? message : '');
    if (message instanceof RegExp) expect(err.detail).toMatch(message);
    expect(err.detail).toMatch(/^Invalid filter: .*\((at character \d+|at the end of the filter)\)\.$/s);
  });

  it('reports the position of the problem', () => {
    expect(errorOf(() => parseFilter('userName equals "x"')).detail).toBe(
      "Invalid filter: unknown operator 'equals' (expected eq, ne, co, sw, ew, gt, ge, lt, le or pr) (at character 10).",
    );
    expect(errorOf(() => parseFilter('title eq "abc')).detail).toBe('Invalid filter: unterminated string (at character 10).');
    expect(errorOf(() => parseFilter('(a pr')).detail).toBe("Invalid filter: missing ')' to close the '(' at character 1 (at the end of the filter).");
    expect(errorOf(() => parseFilter('a pr and b pr )')).detail).toContain('(at character 15)');
    expect(errorOf(() => parseFilter('emails[type eq "work"].value.x eq "y"')).detail).toBe(
      "Invalid filter: 'value.x' after ']' must be one sub-attribute name, without '.' (at character 24).",
    );
    expect(errorOf(() => parseFilter('emails[type eq "work"].value[type pr]')).detail).toBe(
      'Invalid filter: value filters cannot be nested: a sub-attribute after a value filter cannot have a value filter of its own (at character 29).',
    );
    expect(errorOf(() => parseFilter('emails[type eq "work"].value eq')).detail).toBe("Invalid filter: missing value after 'eq' (at the end of the filter).");
    expect(errorOf(() => parseFilter('emails[type eq "work"].value xx "a"')).detail).toContain('(at character 30)');
  });

  it('accepts exactly the maximum length and rejects one character more', () => {
    const prefix = 'userName eq "';
    const atLimit = `${prefix}${'a'.repeat(MAX_FILTER_LENGTH - prefix.length - 1)}"`;
    expect(atLimit).toHaveLength(MAX_FILTER_LENGTH);
    expect(parseFilter(atLimit)).toEqual(cmp('userName', 'eq', 'a'.repeat(MAX_FILTER_LENGTH - prefix.length - 1)));
    const err = errorOf(() => parseFilter(`${atLimit} `));
    expect(err.scimType).toBe('invalidFilter');
    expect(err.detail).toContain(`longer than ${MAX_FILTER_LENGTH} characters`);
  });

  it('accepts nesting up to the maximum depth and rejects deeper filters', () => {
    const parens = (n: number) => `${'('.repeat(n)}a pr${')'.repeat(n)}`;
    const nots = (n: number) => `${'not ('.repeat(n)}a pr${')'.repeat(n)}`;
    expect(parseFilter(parens(MAX_FILTER_DEPTH))).toEqual(pr('a'));
    expect(errorOf(() => parseFilter(parens(MAX_FILTER_DEPTH + 1))).detail).toContain('nested more than 50 levels');
    let expected: FilterNode = pr('a');
    for (let i = 0; i < MAX_FILTER_DEPTH; i++) expected = not(expected);
    expect(parseFilter(nots(MAX_FILTER_DEPTH))).toEqual(expected);
    expect(errorOf(() => parseFilter(nots(MAX_FILTER_DEPTH + 1))).scimType).toBe('invalidFilter');
    // A value path's brackets count as a level too.
    expect(errorOf(() => parseFilter(`${'('.repeat(MAX_FILTER_DEPTH)}emails[type pr]${')'.repeat(MAX_FILTER_DEPTH)}`)).detail).toContain('nested');
  });

  it('parses long and/or chains without recursion (left-deep tree)', () => {
    const text = Array.from({ length: 800 }, (_, i) => `a${i} pr`).join(' or ');
    let node = parseFilter(text);
    let count = 1;
    while (node.kind === 'or') {
      expect(node.right).toEqual(pr(`a${800 - count}`));
      node = node.left;
      count++;
    }
    expect(count).toBe(800);
  });

  it('rejects input that is not a string', () => {
    expect(errorOf(() => parseFilter(undefined as unknown as string)).scimType).toBe('invalidFilter');
    expect(errorOf(() => parseFilter(42 as unknown as string)).scimType).toBe('invalidFilter');
  });
});

describe('formatFilter', () => {
  it.each<[FilterNode, string]>([
    [cmp('userName', 'eq', 'bjensen'), 'userName eq "bjensen"'],
    [cmp('title', 'eq', 'say "hi"\\\n'), 'title eq "say \\"hi\\"\\\\\\n"'],
    [cmp('n', 'ge', -1.5e-7), 'n ge -1.5e-7'],
    [cmp('n', 'eq', -0), 'n eq -0'],
    [cmp('active', 'ne', false), 'active ne false'],
    [cmp('title', 'eq', null), 'title eq null'],
    [pr(`${ENTERPRISE}:manager.value`), `${ENTERPRISE}:manager.value pr`],
    [and(pr('a'), or(pr('b'), pr('c'))), 'a pr and (b pr or c pr)'],
    [and(or(pr('a'), pr('b')), pr('c')), '(a pr or b pr) and c pr'],
    [and(pr('a'), and(pr('b'), pr('c'))), 'a pr and (b pr and c pr)'],
    [and(and(pr('a'), pr('b')), pr('c')), 'a pr and b pr and c pr'],
    [or(pr('a'), or(pr('b'), pr('c'))), 'a pr or (b pr or c pr)'],
    [or(pr('a'), and(pr('b'), pr('c'))), 'a pr or b pr and c pr'],
    [or(and(pr('a'), pr('b')), pr('c')), 'a pr and b pr or c pr'],
    [not(or(pr('a'), pr('b'))), 'not (a pr or b pr)'],
    [vp('emails', and(cmp('type', 'eq', 'work'), not(pr('display')))), 'emails[type eq "work" and not (display pr)]'],
  ])('prints %j as %s', (node, text) => {
    expect(formatFilter(node)).toBe(text);
    expect(parseFilter(text)).toEqual(node);
  });

  it('normalises keyword case and spacing', () => {
    expect(formatFilter(parseFilter('  NOT(userName EQ "x")AND(title PR)  '))).toBe('not (userName eq "x") and title pr');
  });

  it('rejects numbers that JSON cannot express', () => {
    expect(errorOf(() => formatFilter(cmp('n', 'eq', Number.NaN))).scimType).toBe('invalidFilter');
    expect(errorOf(() => formatFilter(cmp('n', 'eq', Infinity))).scimType).toBe('invalidFilter');
  });
});

describe('parsePatchPath', () => {
  const cases: Array<[string, PatchPath]> = [
    [
      'members[value eq "2819c223-7f76-453a-919d-413861904646"]',
      { attribute: attr('members'), valueFilter: cmp('value', 'eq', '2819c223-7f76-453a-919d-413861904646') },
    ],
    ['emails[type eq "work"].value', { attribute: attr('emails'), valueFilter: cmp('type', 'eq', 'work'), subAttribute: 'value' }],
    ['name.givenName', { attribute: attr('name.givenName') }],
    [`${ENTERPRISE}:manager`, { attribute: attr(`${ENTERPRISE}:manager`) }],
    [`${ENTERPRISE}:manager.value`, { attribute: attr(`${ENTERPRISE}:manager.value`) }],
    [`${ENTERPRISE}:department`, { attribute: attr(`${ENTERPRISE}:department`) }],
    ['userName', { attribute: attr('userName') }],
    ['members', { attribute: attr('members') }],
    ['active', { attribute: attr('active') }],
    ['addresses[type eq "work"].streetAddress', { attribute: attr('addresses'), valueFilter: cmp('type', 'eq', 'work'), subAttribute: 'streetAddress' }],
    [
      'emails[type eq "work" and primary eq true].value',
      { attribute: attr('emails'), valueFilter: and(cmp('type', 'eq', 'work'), cmp('primary', 'eq', true)), subAttribute: 'value' },
    ],
    [`${CORE}:emails[type eq "work"]`, { attribute: attr(`${CORE}:emails`), valueFilter: cmp('type', 'eq', 'work') }],
    ['members[value eq "a" or value eq "b"]', { attribute: attr('members'), valueFilter: or(cmp('value', 'eq', 'a'), cmp('value', 'eq', 'b')) }],
    ['EMAILS[TYPE EQ "work"].VALUE', { attribute: attr('EMAILS'), valueFilter: cmp('TYPE', 'eq', 'work'), subAttribute: 'VALUE' }],
    ['members[$ref pr]', { attribute: attr('members'), valueFilter: pr('$ref') }],
    ['groups[value eq "x"].$ref', { attribute: attr('groups'), valueFilter: cmp('value', 'eq', 'x'), subAttribute: '$ref' }],
    [`${CUSTOM}:folders`, { attribute: attr(`${CUSTOM}:folders`) }],
    ['  name.familyName  ', { attribute: attr('name.familyName') }],
  ];

  it.each(cases)('%s', (text, expected) => {
    expect(parsePatchPath(text)).toEqual(expected);
    expect(parsePatchPath(formatPatchPath(expected))).toEqual(expected);
  });

  const invalid: Array<[string, string]> = [
    ['', 'path is empty'],
    ['   ', 'path is empty'],
    ['emails[type eq "work"', "missing ']'"],
    ['emails[type eq "work"].', "missing sub-attribute name after '].'"],
    ['emails[type eq "work"].value.display', "invalid sub-attribute name 'value.display'"],
    ['emails[type eq "work"].1x', "invalid sub-attribute name '1x'"],
    ['name.givenName[value eq "x"]', 'must follow an attribute name'],
    ['name.', 'empty attribute name'],
    ['a.b.c', 'more than one'],
    ['emails[type eq "work"] and x pr', "expected the end of the path but found 'and'"],
    ['userName eq "x"', "expected the end of the path but found 'eq'"],
    ['emails[type eq]', "missing value after 'eq'"],
    ['emails[]', "unexpected ']'"],
    ['emails[type[x pr]]', 'cannot be nested'],
    ['emails[type eq work]', "invalid value 'work'"],
    ['"userName"', 'expected an attribute name'],
    ['urn:ietf:params:scim:schemas:core:2.0:User:', 'missing attribute name after schema URN'],
  ];

  it.each(invalid)('rejects %j', (text, message) => {
    const err = errorOf(() => parsePatchPath(text));
    expect(err.status).toBe(400);
    expect(err.scimType).toBe('invalidPath');
    expect(err.detail).toContain(message);
    expect(err.detail).toMatch(/^Invalid path: /);
  });

  it('rejects paths longer than the limit', () => {
    expect(errorOf(() => parsePatchPath(`a${'b'.repeat(MAX_FILTER_LENGTH)}`)).scimType).toBe('invalidPath');
  });
});
