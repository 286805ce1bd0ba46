import { Logger } from '@nestjs/common';
import { logLevel } from 'kafkajs';
import { logCreator } from './kafka';

describe('kafkajs log lines', () => {
  const entry = (level: logLevel, message: string) => ({ namespace: 'x', level, label: 'ERROR', log: { timestamp: 't', message, error: 'e' } });
  let calls: Record<'error' | 'warn' | 'debug', string[]>;

  beforeEach(() => {
    calls = { error: [], warn: [], debug: [] };
    for (const level of ['error', 'warn', 'debug'] as const)
      jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => void calls[level].push(String(args[0])));
  });
  afterEach(() => jest.restoreAllMocks());

  it('keeps errors and warnings at their level', () => {
    const log = logCreator();
    log(entry(logLevel.ERROR, 'Crash: KafkaJSNumberOfRetriesExceeded'));
    log(entry(logLevel.WARN, 'The group is rebalancing, re-joining'));
    expect(calls.error).toEqual(['Crash: KafkaJSNumberOfRetriesExceeded {"timestamp":"t","error":"e"}']);
    expect(calls.warn).toHaveLength(1);
  });

  it("logs a broker's error answer to one request at debug: kafkajs retries it or hands it to our code", () => {
    const log = logCreator();
    log(entry(logLevel.ERROR, 'Response ListOffsets(key: 2, version: 3)'));
    log(entry(logLevel.ERROR, 'Response Heartbeat(key: 12, version: 3)'));
    expect(calls.error).toEqual([]);
    expect(calls.debug).toHaveLength(2);
  });
});
