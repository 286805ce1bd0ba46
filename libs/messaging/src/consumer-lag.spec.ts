import { partitionLag } from './consumer-lag';

describe('partition lag', () => {
  it('counts the records after the committed offset', () => {
    expect(partitionLag('120', '0', '100')).toBe(20);
    expect(partitionLag('120', '0', '120')).toBe(0);
  });
  it("without a committed offset, counts from the partition's start", () => {
    expect(partitionLag('120', '30', '-1')).toBe(90);
  });
  it('is never negative (offsets read a moment apart)', () => {
    expect(partitionLag('100', '0', '105')).toBe(0);
  });
});
