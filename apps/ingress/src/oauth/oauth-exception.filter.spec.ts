import { BadRequestException, Logger } from '@nestjs/common';
import { OAuthError } from '@scimflow/access';
import { ScimError } from '@scimflow/scim';
import { toScimError } from '../scim/scim-exception.filter';
import { toOAuthError } from './oauth-exception.filter';

/** An error as body-parser / http-errors make them. */
const httpError = (status: number, type: string, message: string) => Object.assign(new Error(message), { status, statusCode: status, expose: true, type });
/** The router's error for a path parameter that does not percent-decode. */
const undecodable = () => Object.assign(new URIError("Failed to decode param '%E0%A4%A'"), { status: 400 });

describe('token endpoint errors', () => {
  beforeAll(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());

  it('keeps OAuth errors as they are', () => {
    const e = new OAuthError('invalid_grant', 'x');
    expect(toOAuthError(e)).toBe(e);
  });

  it('turns every other failure into an OAuth error of the same meaning', () => {
    const cases: [unknown, string, number][] = [
      [httpError(415, 'charset.unsupported', 'unsupported charset "LATIN1"'), 'invalid_request', 400],
      [httpError(413, 'parameters.too.many', 'too many parameters'), 'invalid_request', 400],
      [httpError(413, 'entity.too.large', 'request entity too large'), 'invalid_request', 413],
      [httpError(400, 'entity.parse.failed', 'Unexpected token'), 'invalid_request', 400],
      [undecodable(), 'invalid_request', 400],
      [new BadRequestException('nope'), 'invalid_request', 400],
      [new ScimError(401, 'who?'), 'invalid_client', 401],
      [new ScimError(403, 'This tenant is disabled'), 'unauthorized_client', 403],
      [ScimError.unavailable('down', 5), 'temporarily_unavailable', 503],
      [new ScimError(429, 'slow down', undefined, { 'Retry-After': '2' }), 'temporarily_unavailable', 429],
      [new TypeError('bug'), 'server_error', 500],
    ];
    for (const [exception, error, status] of cases) expect([toOAuthError(exception).error, toOAuthError(exception).status]).toEqual([error, status]);
    expect(toOAuthError(new ScimError(429, 'slow down', undefined, { 'Retry-After': '2' })).headers['Retry-After']).toBe('2');
    expect(toOAuthError(new TypeError('secret detail')).description).toBe('Internal server error');
  });
});

describe('SCIM errors of HTTP errors', () => {
  it('a path that does not percent-decode, or any other exposed 4xx, is that 4xx, not a 500', () => {
    expect(toScimError(undecodable()).toBody()).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '400',
      scimType: 'invalidSyntax',
      detail: "Failed to decode param '%E0%A4%A'",
    });
    expect(toScimError(httpError(414, 'x', 'URI too long')).status).toBe(414);
    // not exposed, or not a client error: ours
    expect(toScimError(Object.assign(new Error('db said no'), { status: 400 })).status).toBe(500);
    expect(toScimError(Object.assign(new Error('x'), { status: 502, expose: true })).status).toBe(500);
  });
});
