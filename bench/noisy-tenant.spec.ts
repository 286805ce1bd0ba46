import { randomUUID } from 'node:crypto';
import { MAX_COMMAND_BODY_BYTES, MAX_RESOURCE_DOCUMENT_BYTES } from '@scimflow/contracts';
import { groupWithMembers, largeUserDocument, memberSlice } from './noisy-tenant';

const bytes = (x: unknown) => Buffer.byteLength(JSON.stringify(x));

describe('largeUserDocument', () => {
  it.each([70_000, 200_000, MAX_RESOURCE_DOCUMENT_BYTES - 4096])('is %d bytes, give or take a few', (size) => {
    const doc = largeUserDocument('big@noisy.example', size);
    expect(Math.abs(bytes(doc) - size)).toBeLessThanOrEqual(16);
    expect(doc.userName).toBe('big@noisy.example');
  });

  it('refuses a size the ingress would refuse', () => {
    expect(() => largeUserDocument('x', MAX_RESOURCE_DOCUMENT_BYTES)).toThrow(/above/);
  });
});

describe('groupWithMembers', () => {
  it('carries every member, and 5,000 of them stay under the command body limit', () => {
    const ids = Array.from({ length: 5000 }, () => randomUUID());
    const body = groupWithMembers('g', ids);
    expect(body.members.map((m) => m.value)).toEqual(ids);
    expect(bytes(body)).toBeGreaterThan(200_000);
    expect(bytes(body)).toBeLessThan(MAX_COMMAND_BODY_BYTES);
  });

  it('refuses a group above the limit', () => {
    expect(() =>
      groupWithMembers(
        'g',
        Array.from({ length: 30_000 }, () => randomUUID()),
      ),
    ).toThrow(/MAX_COMMAND_BODY_BYTES/);
  });
});

describe('memberSlice', () => {
  const pool = Array.from({ length: 10 }, (_, i) => `u${i}`);

  it('gives consecutive groups disjoint members, wrapping around the pool', () => {
    expect(memberSlice(pool, 0, 3)).toEqual(['u0', 'u1', 'u2']);
    expect(memberSlice(pool, 1, 3)).toEqual(['u3', 'u4', 'u5']);
    expect(memberSlice(pool, 2, 3)).toEqual(['u6', 'u7', 'u8']);
    expect(memberSlice(pool, 3, 3)).toEqual(['u0', 'u1', 'u2']);
  });

  it('is the whole pool when a slice is larger than it', () => {
    expect(memberSlice(pool, 5, 20)).toEqual(pool);
  });
});
