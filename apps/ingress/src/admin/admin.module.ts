import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AdminCredentialsController } from './admin-credentials.controller';
import { AdminProfilesController } from './admin-profiles.controller';
import { AdminSigningKeysController } from './admin-signing-keys.controller';
import { AdminTenantsController } from './admin-tenants.controller';
import { AdminWebhooksController } from './admin-webhooks.controller';
import { AdminGuard } from './admin.guard';

/** The admin API under /admin (tenants, credentials, signing keys). Uses the ingress's auth providers. */
@Module({
  imports: [AuthModule],
  controllers: [AdminTenantsController, AdminCredentialsController, AdminSigningKeysController, AdminWebhooksController, AdminProfilesController],
  providers: [AdminGuard],
})
export class AdminModule {}
