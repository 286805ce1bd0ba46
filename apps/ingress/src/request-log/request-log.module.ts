import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { RequestLogCapture } from './request-log-capture';
import { RequestLogMaintenance } from './request-log-maintenance';

/** The SCIM request log: capture of every SCIM and token request, and its partitions' upkeep. */
@Module({
  imports: [AuthModule],
  providers: [RequestLogCapture, RequestLogMaintenance],
  exports: [RequestLogCapture],
})
export class RequestLogModule {}
