import { UsageError } from '../verb';
import { oneArgument, positionalsOnly, tenantOf, tenantOnly } from './arguments';

describe('scimctl verb arguments', () => {
  it('takes exactly one positional argument', () => {
    expect(oneArgument(['t1'], 'tenant get', 'tenant id')).toBe('t1');
    for (const positionals of [[], ['t1', 't2']])
      expect(() => oneArgument(positionals, 'tenant get', 'tenant id')).toThrow(new UsageError('tenant get needs exactly one tenant id'));
  });
  it('refuses options where a verb takes none', () => {
    expect(positionalsOnly(['a', 'b'])).toEqual(['a', 'b']);
    expect(() => positionalsOnly(['a', '--all'])).toThrow(expect.objectContaining({ code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' }));
  });
  it('needs --tenant', () => {
    expect(tenantOf({ tenant: 't1' }, 'token list')).toBe('t1');
    expect(() => tenantOf({}, 'token list')).toThrow(new UsageError('token list needs --tenant TENANT_ID'));
    expect(tenantOnly(['--tenant', 't1'], 'client get')).toBe('t1');
    expect(() => tenantOnly(['--tenant', 't1', 'extra'], 'client get')).toThrow(expect.objectContaining({ code: 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' }));
    expect(() => tenantOnly([], 'client get')).toThrow(UsageError);
  });
});
