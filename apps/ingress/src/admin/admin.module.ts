import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CommandsModule } from '../commands/commands.module';
import { AdminUsersController } from './admin-users.controller';
import { AdminGroupsController } from './admin-groups.controller';
import { AdminCredentialsController } from './admin-credentials.controller';
import { AdminProfilesController } from './admin-profiles.controller';
import { AdminSigningKeysController } from './admin-signing-keys.controller';
import { AdminTenantsController } from './admin-tenants.controller';
import { AdminWebhooksController } from './admin-webhooks.controller';
import { AdminParkedRecordsController } from './admin-parked-records.controller';
import { AdminGuard } from './admin.guard';
import { AdminEventsController } from './admin-events.controller';
import { AdminParkedCommandsController } from './admin-parked.controller';
import { AdminDeprovisioningController } from './admin-deprovisioning.controller';
import { AdminRequestsController } from './admin-requests.controller';
import { EventReplayRunner } from './event-replay-runner';
import { AdminSetupLinksController } from './admin-setup-links.controller';
import { AdminInsightsController } from './admin-insights.controller';
import { OperatorSessions } from '../console/operator-sessions';

/** The admin API under /admin (tenants, credentials, signing keys, profiles, users, webhooks, parked records, request log, setup links, console views, events API consumers). Uses the ingress's auth providers. */
@Module({
  imports: [AuthModule, CommandsModule],
  controllers: [
    AdminTenantsController,
    AdminCredentialsController,
    AdminSigningKeysController,
    AdminWebhooksController,
    AdminProfilesController,
    AdminUsersController,
    AdminGroupsController,
    AdminParkedCommandsController,
    AdminDeprovisioningController,
    AdminParkedRecordsController,
    AdminRequestsController,
    AdminSetupLinksController,
    AdminInsightsController,
    AdminEventsController,
  ],
  providers: [AdminGuard, OperatorSessions, EventReplayRunner],
  exports: [AdminGuard, OperatorSessions],
})
export class AdminModule {}
