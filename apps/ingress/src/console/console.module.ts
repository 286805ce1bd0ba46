import { Module } from '@nestjs/common';
import { AdminModule } from '../admin/admin.module';
import { ConsoleSessionController } from './console-session.controller';
import { SetupController } from './setup.controller';
import { SetupLinkGuard } from './setup-link.guard';

/** The console's own API under /console/api: operator sign-in, and the setup page's API for setup links. */
@Module({
  imports: [AdminModule],
  controllers: [ConsoleSessionController, SetupController],
  providers: [SetupLinkGuard],
})
export class ConsoleModule {}
