import { parserErrorResponse } from './client-errors';

describe('parserErrorResponse', () => {
  it('answers headers over the limit with 431 and a SCIM error body of the right length', () => {
    const raw = parserErrorResponse('HPE_HEADER_OVERFLOW');
    const [head, body] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expect(head).toContain(`Content-Length: ${Buffer.byteLength(body)}`);
    expect(JSON.parse(body)).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '431' });
  });

  it('answers other parser errors with 400 invalidSyntax', () => {
    const body = JSON.parse(parserErrorResponse('HPE_INVALID_METHOD').split('\r\n\r\n')[1]);
    expect(body).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
  });
});
