import { CliCommand } from '../command';
import { migrateCommand, topicsCommand } from './setup.commands';
import { tenantCreateCommand, tenantListCommand } from './tenant.commands';

/** Every scimctl command. Add a command in its own file and list it here. */
export const COMMANDS: CliCommand[] = [tenantCreateCommand, tenantListCommand, migrateCommand, topicsCommand];
