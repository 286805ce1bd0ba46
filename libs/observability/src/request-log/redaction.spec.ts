import { capText, loggedBody, redactForm, redactJson, redactPath, redactText, REDACTED, TOO_DEEP } from './redaction';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
const TOKEN = 'scimflow_abcdefghij12_0123456789abcdefghijABCDEFGHIJ0123456789abc';

describe('request log redaction', () => {
  it('redacts credential fields at any depth, keeping everything else', () => {
    expect(
      redactJson({
        userName: 'ada',
        password: 'p4ss',
        nested: { client_secret: 's', list: [{ access_token: 't', refresh_token: 'r' }], secret: 'x', token: 'y', clientSecret: 'z' },
        active: true,
        n: 1,
      }),
    ).toEqual({
      userName: 'ada',
      password: REDACTED,
      nested: {
        client_secret: REDACTED,
        list: [{ access_token: REDACTED, refresh_token: REDACTED }],
        secret: REDACTED,
        token: REDACTED,
        clientSecret: REDACTED,
      },
      active: true,
      n: 1,
    });
  });

  it('redacts a PATCH setting the password', () => {
    const body = {
      Operations: [
        { op: 'replace', path: 'password', value: 'hunter2' },
        { op: 'replace', value: { password: 'hunter3' } },
      ],
    };
    const text = loggedBody(body, 16384).text!;
    expect(text).not.toContain('hunter');
    expect(text).toContain(REDACTED);
    expect(loggedBody({ Operations: [{ op: 'replace', path: 'displayName', value: 'Ada' }] }, 1000).text).toContain('Ada');
  });

  it('keeps fields that only look like credentials by their prefix', () => {
    expect(redactJson({ token_type: 'Bearer', expires_in: 60, tokenCount: 2 })).toEqual({ token_type: 'Bearer', expires_in: 60, tokenCount: 2 });
  });

  it('redacts JWTs, scimflow tokens, whsec secrets and Bearer/Basic values inside strings', () => {
    expect(redactText(`a ${JWT} b ${TOKEN} c whsec_c2VjcmV0c2VjcmV0 d Bearer abc.def e basic dXNlcjpwYXNz`)).toBe(
      `a ${REDACTED} b ${REDACTED} c ${REDACTED} d Bearer ${REDACTED} e basic ${REDACTED}`,
    );
    expect(redactJson({ detail: `token ${JWT} refused` })).toEqual({ detail: `token ${REDACTED} refused` });
  });

  it('redacts the token endpoint form body, keeping grant_type, client_id and scope', () => {
    expect(redactForm('grant_type=client_credentials&client_id=c1&client_secret=s3cr3t&scope=scim')).toBe(
      `grant_type=client_credentials&client_id=c1&client_secret=${REDACTED}&scope=scim`,
    );
    expect(redactForm(`grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=${JWT}&client%5Fsecret=x`)).toBe(
      `grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=${REDACTED}&client%5Fsecret=${REDACTED}`,
    );
  });

  it("redacts a parsed form (the urlencoded parser's object) like JSON", () => {
    expect(JSON.parse(loggedBody({ grant_type: 'client_credentials', client_id: 'c1', client_secret: 's3cr3t', client_assertion: JWT }, 16384).text!)).toEqual({
      grant_type: 'client_credentials',
      client_id: 'c1',
      client_secret: REDACTED,
      client_assertion: REDACTED,
    });
  });

  it('redacts the token response, whether a string or a Buffer', () => {
    const answer = JSON.stringify({ access_token: JWT, token_type: 'Bearer', expires_in: 3600 });
    for (const body of [answer, Buffer.from(answer)]) {
      const text = loggedBody(body, 16384).text!;
      expect(JSON.parse(text)).toEqual({ access_token: REDACTED, token_type: 'Bearer', expires_in: 3600 });
    }
  });

  it('redacts credentials in the query of a path', () => {
    expect(redactPath('/scim/v2/t/Users?access_token=abc&filter=userName%20eq%20%22a%22')).toBe(
      '/scim/v2/t/Users?access_token=[redacted]&filter=userName%20eq%20%22a%22',
    );
    expect(redactPath(`/scim/v2/t/Users/${TOKEN}`)).toBe(`/scim/v2/t/Users/${REDACTED}`);
  });

  it('keeps nothing for empty bodies', () => {
    for (const body of [undefined, null, '', {}, Buffer.alloc(0)]) expect(loggedBody(body, 100)).toEqual({ text: null, truncated: false });
  });

  it('redacts text that is neither JSON nor a form', () => {
    expect(loggedBody(`not json ${JWT}`, 1000).text).toBe(`not json ${REDACTED}`);
    expect(loggedBody('{"broken": "json", "password": "x"', 1000).text).toBe(`{"broken": "json", "password": "${REDACTED}"`);
    expect(loggedBody('{"client_secret":"abc', 1000).text).toBe(`{"client_secret":"${REDACTED}"`);
    expect(loggedBody('[{"userName":"ada",', 1000).text).toBe('[{"userName":"ada",');
  });

  it('keeps a body nested thousands deep down to 64 levels, without overflowing the stack', () => {
    let deep: unknown = { password: 'x' };
    for (let i = 0; i < 10_000; i++) deep = i % 2 ? { a: deep } : [deep];
    const logged = loggedBody({ Operations: deep }, 1_000_000);
    expect(logged.text).toContain(TOO_DEEP);
    expect(logged.text).not.toContain('"x"');
    let shallow: unknown = { password: 'x', keep: 'y' };
    for (let i = 0; i < 60; i++) shallow = { a: shallow };
    expect(JSON.stringify(redactJson(shallow))).toContain(`"password":"${REDACTED}","keep":"y"`);
  });

  it('caps a body to the byte limit and marks it truncated', () => {
    const big = { displayName: 'x'.repeat(20000) };
    const logged = loggedBody(big, 16384);
    expect(logged.truncated).toBe(true);
    expect(Buffer.byteLength(logged.text!, 'utf8')).toBeLessThanOrEqual(16384);
    expect(loggedBody({ a: 'b' }, 16384)).toEqual({ text: '{"a":"b"}', truncated: false });
  });

  it('never cuts inside a multi-byte character', () => {
    const text = 'é'.repeat(10); // 20 bytes
    const capped = capText(text, 5);
    expect(capped).toEqual({ text: 'éé', truncated: true });
    expect(capText('😀😀', 6)).toEqual({ text: '😀', truncated: true });
    expect(capText('abc', 3)).toEqual({ text: 'abc', truncated: false });
  });
});
