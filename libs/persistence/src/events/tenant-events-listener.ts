import { Client } from 'pg';
import { TENANT_EVENTS_CHANNEL } from './tenant-events';

/** The tenants whose events the relay just committed, or all of them when it named too many to list. */
export type TenantEventsSignal = string[] | 'all';

/**
 * A connection of its own that LISTENs on the channel the outbox relay notifies after committing events
 * (TenantEvents.recordPublished). It does not reconnect by itself: `onLost` says the connection failed.
 */
export class TenantEventsListener {
  private readonly client: Client;

  constructor(databaseUrl: string, onSignal: (signal: TenantEventsSignal) => void, onLost: (e: Error) => void) {
    this.client = new Client({ connectionString: databaseUrl, application_name: 'scimflow-events-listen' });
    this.client.on('notification', (n) => {
      if (n.channel !== TENANT_EVENTS_CHANNEL) return;
      onSignal(n.payload === undefined || n.payload === '*' ? 'all' : n.payload.split(','));
    });
    this.client.on('error', onLost);
  }

  async listen(): Promise<void> {
    await this.client.connect();
    await this.client.query(`LISTEN ${TENANT_EVENTS_CHANNEL}`);
  }

  close(): Promise<void> {
    return this.client.end();
  }
}
