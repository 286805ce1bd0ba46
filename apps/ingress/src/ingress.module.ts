import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { IngressConfig, ScimflowConfigModule } from '@scimflow/config';
import { ObservabilityModule } from '@scimflow/platform';
import { MessagingModule } from '@scimflow/messaging';
import { PersistenceModule } from '@scimflow/persistence';
import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { OAuthModule } from './oauth/oauth.module';
import { CommandsModule } from './commands/commands.module';
import { ScimExceptionFilter } from './scim/scim-exception.filter';
import { GroupResponses } from './scim/group-responses';
import { GroupsController } from './scim/groups.controller';
import { GroupsLister } from './scim/groups-lister';
import { UserGroups } from './scim/user-groups';
import { DiscoveryController } from './scim/discovery.controller';
import { ResourceTypeRegistry } from './scim/resource-types';
import { RootSearchController } from './scim/root-search.controller';
import { UsersController } from './scim/users.controller';
import { UsersLister } from './scim/users-lister';
import { RequestLogModule } from './request-log/request-log.module';
import { ConsoleModule } from './console/console.module';
import { EventsApiModule } from './events/events-api.module';

@Module({
  imports: [
    ScimflowConfigModule.forApp(IngressConfig),
    ObservabilityModule.forApp('ingress', { httpLogs: true }),
    PersistenceModule,
    MessagingModule.forApp('ingress'),
    AuthModule,
    CommandsModule,
    OAuthModule,
    AdminModule,
    ConsoleModule,
    RequestLogModule,
    EventsApiModule,
  ],
  controllers: [UsersController, DiscoveryController, RootSearchController, GroupsController],
  providers: [ResourceTypeRegistry, UsersLister, GroupResponses, GroupsLister, UserGroups, { provide: APP_FILTER, useClass: ScimExceptionFilter }],
})
export class IngressModule {}
