import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ScimflowConfigModule } from '@scimflow/config';
import { ObservabilityModule } from '@scimflow/observability';
import { MessagingModule } from '@scimflow/messaging';
import { PersistenceModule } from '@scimflow/persistence';
import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { OAuthModule } from './oauth/oauth.module';
import { CommandGateway } from './commands/command-gateway';
import { ScimExceptionFilter } from './scim/scim-exception.filter';
import { UsersController } from './scim/users.controller';

@Module({
  imports: [ScimflowConfigModule, ObservabilityModule.forApp('ingress', { httpLogs: true }), PersistenceModule, MessagingModule.forApp('ingress'), PassportModule, AuthModule, OAuthModule, AdminModule],
  controllers: [UsersController],
  providers: [CommandGateway, { provide: APP_FILTER, useClass: ScimExceptionFilter }],
})
export class IngressModule {}
