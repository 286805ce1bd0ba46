import { CliCommand } from '../command';
import { migrateCommand, topicsCommand } from './setup.commands';
import { tenantCreateCommand, tenantListCommand } from './tenant.commands';
import { schemaListCommand } from './schema-list.command';
import { schemaRegisterCommand } from './schema-register.command';
import { TENANT_ADMIN_COMMANDS } from './tenant-admin.commands';
import { HOLDS_COMMANDS } from './holds.commands';
import { TOKEN_COMMANDS } from './token.commands';
import { CLIENT_COMMANDS } from './client.commands';
import { FEDERATION_COMMANDS } from './federation.commands';
import { KEYS_COMMANDS } from './keys.commands';
import { SUBSCRIPTION_COMMANDS } from './subscription.commands';
import { deliveriesListCommand } from './deliveries.commands';
import { DLQ_COMMANDS } from './dlq.commands';
import { PARKED_COMMANDS_COMMANDS } from './parked-commands.commands';
import { RECORDS_COMMANDS } from './records.commands';
import { AUDIT_COMMANDS } from './audit.commands';
import { REQUESTS_COMMANDS } from './requests.commands';
import { replayCommandsCommand } from './replay-commands.command';
import { replayEventsCommand } from './replay-events.command';
import { rebuildCommand } from './rebuild.command';
import { USERS_COMMANDS } from './users.commands';
import { groupsImportCommand } from './groups.commands';
import { SETUP_LINK_COMMANDS } from './setup-links.commands';
import { EVENTS_COMMANDS } from './events.commands';

/** Every scimctl command. Add a command in its own file and list it here. */
export const COMMANDS: CliCommand[] = [
  tenantCreateCommand,
  tenantListCommand,
  schemaRegisterCommand,
  schemaListCommand,
  ...TENANT_ADMIN_COMMANDS,
  ...HOLDS_COMMANDS,
  ...SETUP_LINK_COMMANDS,
  ...USERS_COMMANDS,
  groupsImportCommand,
  ...TOKEN_COMMANDS,
  ...CLIENT_COMMANDS,
  ...FEDERATION_COMMANDS,
  ...KEYS_COMMANDS,
  ...SUBSCRIPTION_COMMANDS,
  deliveriesListCommand,
  ...DLQ_COMMANDS,
  ...PARKED_COMMANDS_COMMANDS,
  ...RECORDS_COMMANDS,
  ...AUDIT_COMMANDS,
  ...REQUESTS_COMMANDS,
  ...EVENTS_COMMANDS,
  replayCommandsCommand,
  replayEventsCommand,
  rebuildCommand,
  migrateCommand,
  topicsCommand,
];
