import { WakeUp } from './wake-up';

describe('WakeUp', () => {
  it('sleeps the interval when nobody kicks', async () => {
    const w = new WakeUp();
    const started = Date.now();
    await w.sleep(50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('a kick during the sleep ends it at once', async () => {
    const w = new WakeUp();
    const started = Date.now();
    setTimeout(() => w.kick(), 10);
    await w.sleep(5000);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a kick while busy makes the next sleep return at once, and only the next', async () => {
    const w = new WakeUp();
    w.kick();
    const started = Date.now();
    await w.sleep(5000);
    expect(Date.now() - started).toBeLessThan(100);
    const again = Date.now();
    await w.sleep(40);
    expect(Date.now() - again).toBeGreaterThanOrEqual(35);
  });
});
