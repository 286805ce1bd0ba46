import { Kafka, logLevel, LogEntry } from 'kafkajs';
import { Logger } from '@nestjs/common';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
}

/**
 * kafkajs logs through Nest's logger so every process has one log format. A broker's error answer to one request
 * ("Response Produce(…)", "Response Heartbeat(…)": not leader yet, group rebalancing) is logged at debug: kafkajs
 * retries it or hands the error to our code, which decides what is worth an error line.
 */
export function logCreator() {
  const logger = new Logger('kafkajs');
  return ({ level, log }: LogEntry) => {
    const { message, ...extra } = log;
    const text = `${message} ${JSON.stringify(extra)}`;
    if (message.startsWith('Response ')) logger.debug(text);
    else if (level === logLevel.ERROR) logger.error(text);
    else if (level === logLevel.WARN) logger.warn(text);
    else logger.debug(text);
  };
}

export function createKafka(settings: KafkaSettings): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    logLevel: logLevel.WARN,
    logCreator,
    connectionTimeout: 3000,
    requestTimeout: 30000,
    // Outages are handled by our own loops (503 to clients, retrying consumers); keep client retries short.
    retry: { initialRetryTime: 200, retries: 5, maxRetryTime: 5000 },
  });
}

export function parseBrokers(list: string): string[] {
  return list
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
}
