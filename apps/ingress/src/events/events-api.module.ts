import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { EventsApiController } from './events-api.controller';
import { EventsMaintenance } from './events-maintenance';
import { ProductGuard } from './product.guard';
import { TenantEventSignals } from './tenant-event-signals';

/** The events API and state pull under /api/v1, for a tenant's downstream services (product credentials). */
@Module({
  imports: [AuthModule],
  controllers: [EventsApiController],
  providers: [ProductGuard, TenantEventSignals, EventsMaintenance],
})
export class EventsApiModule {}
