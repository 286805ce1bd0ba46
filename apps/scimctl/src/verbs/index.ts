import { Verb } from '../verb';
import { migrateVerb, topicsVerb } from './setup.verbs';
import { tenantCreateVerb, tenantListVerb } from './tenant.verbs';
import { SCHEMA_VERBS } from './schema.verbs';
import { TENANT_ADMIN_VERBS } from './tenant-admin.verbs';
import { HOLDS_VERBS } from './holds.verbs';
import { TOKEN_VERBS } from './token.verbs';
import { CLIENT_VERBS } from './client.verbs';
import { FEDERATION_VERBS } from './federation.verbs';
import { KEYS_VERBS } from './keys.verbs';
import { SUBSCRIPTION_VERBS } from './subscription.verbs';
import { deliveriesListVerb } from './deliveries.verbs';
import { DLQ_VERBS } from './dlq.verbs';
import { PARKED_COMMANDS_VERBS } from './parked-commands.verbs';
import { RECORDS_VERBS } from './records.verbs';
import { AUDIT_VERBS } from './audit.verbs';
import { REQUESTS_VERBS } from './requests.verbs';
import { replayCommandsVerb } from './replay-commands.verbs';
import { replayEventsVerb } from './replay-events.verbs';
import { rebuildVerb } from './rebuild.verbs';
import { USERS_VERBS } from './users.verbs';
import { groupsImportVerb } from './groups.verbs';
import { SETUP_LINK_VERBS } from './setup-links.verbs';
import { EVENTS_VERBS } from './events.verbs';

/** Every scimctl verb. Add a verb to its noun's <noun>.verbs.ts (or a new one) and list it here. */
export const VERBS: Verb[] = [
  tenantCreateVerb,
  tenantListVerb,
  ...SCHEMA_VERBS,
  ...TENANT_ADMIN_VERBS,
  ...HOLDS_VERBS,
  ...SETUP_LINK_VERBS,
  ...USERS_VERBS,
  groupsImportVerb,
  ...TOKEN_VERBS,
  ...CLIENT_VERBS,
  ...FEDERATION_VERBS,
  ...KEYS_VERBS,
  ...SUBSCRIPTION_VERBS,
  deliveriesListVerb,
  ...DLQ_VERBS,
  ...PARKED_COMMANDS_VERBS,
  ...RECORDS_VERBS,
  ...AUDIT_VERBS,
  ...REQUESTS_VERBS,
  ...EVENTS_VERBS,
  replayCommandsVerb,
  replayEventsVerb,
  rebuildVerb,
  migrateVerb,
  topicsVerb,
];
