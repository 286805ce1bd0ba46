import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Transactional outbox: change events are written in the same transaction as the state they describe
 * and published to Kafka afterwards, in id order, by a single relay.
 */
@Entity({ name: 'outbox_events' })
export class OutboxEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column('text')
  topic: string;

  @Column('text', { name: 'record_key' })
  recordKey: string;

  /** json, not jsonb: the relay publishes the text as written (migration 1733200000000) */
  @Column('json')
  payload: Record<string, unknown>;

  @Column('jsonb', { default: () => `'{}'::jsonb` })
  headers: Record<string, string>;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'published_at', nullable: true })
  publishedAt: Date | null;
}
