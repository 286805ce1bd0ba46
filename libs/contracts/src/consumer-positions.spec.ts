import { ConsumerPositions } from './consumer-positions';

describe('ConsumerPositions', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('writes a moved position at most once a second, the last one skipped when the second is over, and an unmoved one every 5 s', async () => {
    const writes: string[] = [];
    const positions = new ConsumerPositions({ writePosition: async (_id, p) => void writes.push(p) });
    await positions.read('c', '1');
    await positions.read('c', '2');
    await positions.read('c', '3');
    expect(writes).toEqual(['1']);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(writes).toEqual(['1', '3']);
    await positions.read('c', '3');
    await jest.advanceTimersByTimeAsync(4_000);
    await positions.read('c', '3');
    expect(writes).toEqual(['1', '3']);
    await jest.advanceTimersByTimeAsync(1_000);
    await positions.read('c', '3');
    expect(writes).toEqual(['1', '3', '3']);
  });
});
