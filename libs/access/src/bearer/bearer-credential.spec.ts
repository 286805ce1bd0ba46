import { bearerCredentialOutsideHeader, bearerTokenOf, queryParameterNames } from './bearer-credential';

describe('bearer credentials', () => {
  it('reads the token of an Authorization: Bearer header only', () => {
    expect(bearerTokenOf('Bearer scimflow_abc.def')).toBe('scimflow_abc.def');
    expect(bearerTokenOf('bearer  tok ')).toBe('tok');
    for (const h of [undefined, '', 'Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Bearer a b', 'Token tok']) expect(bearerTokenOf(h)).toBeUndefined();
  });

  it('finds access_token in the query, however it is spelled', () => {
    for (const url of [
      '/scim/v2/t/Users?access_token=x',
      '/a?filter=x&access_token=',
      '/a?access_token',
      '/a?access%5Ftoken=x',
      '/a?access_token[]=x',
      '/a?ACCESS_TOKEN=x',
      '/a?%E0%A4%A&access_token=x',
    ])
      expect(bearerCredentialOutsideHeader({ url, body: undefined })).toBe('query');
    for (const url of ['/a', '/a?', '/a?filter=access_token%20eq%201', '/a?x=access_token', '/a?%E0%A4%A=1', '/a#access_token=x'])
      expect(bearerCredentialOutsideHeader({ url, body: undefined })).toBeUndefined();
  });

  it('finds access_token in a form body, not in a JSON body (there it is data)', () => {
    const body = { access_token: 't' };
    expect(bearerCredentialOutsideHeader({ url: '/a', contentType: 'application/x-www-form-urlencoded; charset=utf-8', body })).toBe('form body');
    expect(bearerCredentialOutsideHeader({ url: '/a', contentType: 'application/x-www-form-urlencoded', body: { 'access_token[]': ['t'] } })).toBe('form body');
    expect(bearerCredentialOutsideHeader({ url: '/a', contentType: 'application/scim+json', body })).toBeUndefined();
    expect(bearerCredentialOutsideHeader({ url: '/a', contentType: 'application/x-www-form-urlencoded', body: { grant_type: 'x' } })).toBeUndefined();
    expect(bearerCredentialOutsideHeader({ url: '/a', contentType: 'application/x-www-form-urlencoded', body: undefined })).toBeUndefined();
  });

  it('lists query parameter names, decoded where possible', () => {
    expect(queryParameterNames('/a?b=1&c+d=2&&e&f%20g=%E0&%zz=1#h=1')).toEqual(['b', 'c d', 'e', 'f g', '%zz']);
  });
});
