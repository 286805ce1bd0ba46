import { Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { IngressConfig } from '@scimflow/config';
import { SigningKeys, signingKeyViews } from '@scimflow/persistence';
import { AccessTokens } from '../auth/access-tokens';
import { SigningKeySchema } from './admin.schemas';
import { AdminController, found } from './admin-controller';

/** The keys that sign OAuth access tokens (shared by all tenants). */
@AdminController('admin/signing-keys', 'signing keys')
export class AdminSigningKeysController {
  constructor(
    private readonly keys: SigningKeys,
    private readonly accessTokens: AccessTokens,
    private readonly config: IngressConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List signing keys, newest first, with their state' })
  @ApiOkResponse({ type: [SigningKeySchema] })
  async list() {
    return signingKeyViews(await this.keys.list());
  }

  @Post('rotate')
  @ApiOperation({ summary: 'Create a new signing key; older keys stop signing and verify until their tokens have expired' })
  @ApiCreatedResponse({ type: [SigningKeySchema] })
  async rotate() {
    await this.keys.rotate(this.config.ACCESS_TOKEN_TTL_SECONDS);
    this.accessTokens.forgetKeys();
    return signingKeyViews(await this.keys.list());
  }

  @Post(':kid/retire')
  @HttpCode(200)
  @ApiOperation({ summary: 'Retire a key now: tokens it signed are refused (use for a leaked key)' })
  @ApiOkResponse({ type: [SigningKeySchema] })
  async retire(@Param('kid') kid: string) {
    found(await this.keys.retire(kid), `Signing key ${kid}`);
    this.accessTokens.forgetKeys();
    return signingKeyViews(await this.keys.list());
  }
}
