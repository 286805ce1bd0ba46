import { Module } from '@nestjs/common';
import { CommandGateway } from './command-gateway';

/** The command pipeline's front door, shared by the SCIM controllers and the admin API (imports, login methods). */
@Module({
  providers: [CommandGateway],
  exports: [CommandGateway],
})
export class CommandsModule {}
