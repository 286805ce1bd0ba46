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
import { GroupResponses } from './scim/group-responses';
import { GroupsController } from './scim/groups.controller';
import { UserGroups } from './scim/user-groups';
import { UsersController } from './scim/users.controller';

@Module({
  imports: [ScimflowConfigModule, ObservabilityModule.forApp('ingress', { httpLogs: true }), PersistenceModule, MessagingModule.forApp('ingress'), PassportModule, AuthModule, OAuthModule, AdminModule],
  controllers: [UsersController, GroupsController],
  providers: [CommandGateway, GroupResponses, UserGroups, { provide: APP_FILTER, useClass: ScimExceptionFilter }],
})
export class IngressModule {}
