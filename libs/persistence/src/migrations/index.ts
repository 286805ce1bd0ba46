import { InitialSchema1732300000000 } from './1732300000000-initial-schema';
import { TenantSchemas1732500000000 } from './1732500000000-tenant-schemas';
import { TenantCredentials1732600000000 } from './1732600000000-tenant-credentials';
import { Groups1732400000000 } from './1732400000000-groups';
import { WebhookSubscriptions1732700000000 } from './1732700000000-webhook-subscriptions';
import { ProfilesAudit1732800000000 } from './1732800000000-profiles-audit';
import { UserLifecycle1733000000000 } from './1733000000000-user-lifecycle';
import { WebhookTraceContext1733100000000 } from './1733100000000-webhook-trace-context';
import { OutboxPayloadJson1733200000000 } from './1733200000000-outbox-payload-json';
import { ParkedCommands1733300000000 } from './1733300000000-parked-commands';
import { ParkedRecords1733400000000 } from './1733400000000-parked-records';
import { TenantScopedIds1733500000000 } from './1733500000000-tenant-scoped-ids';
import { UserEmailValues1733600000000 } from './1733600000000-user-email-values';
import { RequestLog1733720000000 } from './1733720000000-request-log';
import { Console1733800000000 } from './1733800000000-console';
import { EventReplays1733900000000 } from './1733900000000-event-replays';
import { TenantPauses1733950000000 } from './1733950000000-tenant-pauses';
import { TenantEvents1734000000000 } from './1734000000000-tenant-events';
import { DeprovisioningHolds1734100000000 } from './1734100000000-deprovisioning-holds';

/** Listed explicitly (not globbed) so they load the same from ts-jest and from dist/. */
export const MIGRATIONS = [
  InitialSchema1732300000000,
  Groups1732400000000,
  WebhookSubscriptions1732700000000,
  TenantCredentials1732600000000,
  TenantSchemas1732500000000,
  ProfilesAudit1732800000000,
  UserLifecycle1733000000000,
  WebhookTraceContext1733100000000,
  OutboxPayloadJson1733200000000,
  ParkedCommands1733300000000,
  ParkedRecords1733400000000,
  TenantScopedIds1733500000000,
  UserEmailValues1733600000000,
  RequestLog1733720000000,
  Console1733800000000,
  EventReplays1733900000000,
  TenantPauses1733950000000,
  TenantEvents1734000000000,
  DeprovisioningHolds1734100000000,
];
