import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { FederatedIssuers } from './federated-issuers';
import { TokenController } from './token.controller';

/** The per-tenant OAuth token endpoints. */
@Module({
  imports: [AuthModule],
  controllers: [TokenController],
  providers: [FederatedIssuers],
})
export class OAuthModule {}
