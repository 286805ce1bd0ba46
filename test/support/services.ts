import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/**
 * Services for end-to-end tests: DATABASE_URL / KAFKA_BROKERS from the environment when given;
 * otherwise the local Postgres and a real local Kafka (deploy/local/kafka.sh); otherwise, where a
 * Docker engine exists but no Java, testcontainers.
 */
export async function resolveServices(): Promise<{ databaseUrl: string; kafkaBrokers: string; stop: () => Promise<void> }> {
  const stops: (() => Promise<void>)[] = [];
  let databaseUrl = process.env.DATABASE_URL;
  let kafkaBrokers = process.env.KAFKA_BROKERS;
  const useContainers = process.env.SCIMFLOW_TESTCONTAINERS === '1' || (!hasCommand('java') && dockerAvailable());

  if (!kafkaBrokers) {
    if (useContainers) {
      const { KafkaContainer } = await import('@testcontainers/kafka' as string).catch(() => {
        throw new Error('KAFKA_BROKERS is not set, Java is missing, and @testcontainers/kafka is not installed');
      });
      const kafka = await new KafkaContainer('confluentinc/cp-kafka:7.7.1').withKraft().start();
      kafkaBrokers = `${kafka.getHost()}:${kafka.getMappedPort(9093)}`;
      stops.push(async () => void (await kafka.stop()));
    } else {
      execFileSync(path.join(ROOT, 'deploy/local/kafka.sh'), ['start'], { stdio: 'inherit' });
      kafkaBrokers = execFileSync(path.join(ROOT, 'deploy/local/kafka.sh'), ['bootstrap']).toString().trim();
    }
  }
  if (!databaseUrl) {
    if (useContainers) {
      const { GenericContainer } = await import('testcontainers');
      const pg = await new GenericContainer('postgres:16').withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' }).withExposedPorts(5432).start();
      databaseUrl = `postgres://postgres@${pg.getHost()}:${pg.getMappedPort(5432)}/scimflow`;
      stops.push(async () => void (await pg.stop()));
    } else {
      databaseUrl = 'postgres://postgres@127.0.0.1:5432/scimflow';
    }
  }
  return { databaseUrl, kafkaBrokers, stop: async () => void (await Promise.all(stops.map((s) => s()))) };
}

function hasCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function dockerAvailable(): boolean {
  return existsSync('/var/run/docker.sock') || !!process.env.DOCKER_HOST;
}
