import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { MAX_RATE_LIMIT } from '@scimflow/access';
import { CreateTenantRequest, RateLimit, TENANT_PROFILES, TenantProfile } from '@scimflow/contracts';

/** Request bodies and query strings of the admin API, validated (unknown properties are refused) and described in /admin/docs. */

const rateRange = { message: ({ property }: { property: string }) => `${property} must be an integer from 1 to ${MAX_RATE_LIMIT}` };

export class RateLimitDto implements RateLimit {
  @ApiProperty({ example: 25, minimum: 1, maximum: MAX_RATE_LIMIT, description: 'sustained requests per second (per ingress instance)' })
  @IsInt(rateRange)
  @Min(1, rateRange)
  @Max(MAX_RATE_LIMIT, rateRange)
  perSecond: number;

  @ApiProperty({ example: 50, minimum: 1, maximum: MAX_RATE_LIMIT, description: 'requests allowed at once after a quiet period' })
  @IsInt(rateRange)
  @Min(1, rateRange)
  @Max(MAX_RATE_LIMIT, rateRange)
  burst: number;
}

export class CreateTenantDto implements CreateTenantRequest {
  @ApiProperty({ example: 'Contoso' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ enum: TENANT_PROFILES, default: 'custom', description: 'the product profile (its rules are applied by the reconciler)' })
  @IsOptional()
  @IsIn(TENANT_PROFILES)
  profile?: TenantProfile;

  @ApiPropertyOptional({ type: [String], example: ['https://product.example/scim-events'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true }, { each: true })
  webhooks?: string[];

  @ApiPropertyOptional({ type: [String], example: ['203.0.113.0/24', '2001:db8::/32'], description: 'CIDR blocks allowed to call; empty = all' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  allowedSourceIps?: string[];

  @ApiPropertyOptional({ type: RateLimitDto, description: 'absent = the configured default' })
  @IsOptional()
  @ValidateNested()
  @Type(() => RateLimitDto)
  rateLimit?: RateLimitDto;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'overrides of the profile preset (see docs/profiles.md), e.g. {"deleteMode":"soft"}',
  })
  @IsOptional()
  @IsObject()
  settings?: Record<string, unknown>;
}

export class AllowedSourceIpsDto {
  @ApiProperty({
    type: [String],
    example: ['203.0.113.0/24', '198.51.100.7', '2001:db8::/32'],
    description: 'CIDR blocks (IPv4/IPv6); [] allows every address',
  })
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  allowedSourceIps: string[];
}

export class CreateSecretTokenDto {
  @ApiPropertyOptional({ example: 'Entra production app, 2025 rotation' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  description?: string;
}

/** http only for loopback (tests, local issuers); everything else must be https */
const JWKS_URL = /^(https:\/\/|http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\/)/;

export class CreateFederatedCredentialDto {
  @ApiProperty({ example: 'https://login.microsoftonline.com/<entra-tenant-id>/v2.0', description: 'the exact `iss` of the assertions' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  issuer: string;

  @ApiProperty({
    example: 'https://login.microsoftonline.com/<entra-tenant-id>/discovery/v2.0/keys',
    description: "the issuer's JWK Set (https; http only on loopback)",
  })
  @IsString()
  @Matches(JWKS_URL, { message: 'jwksUrl must be an https URL (http only for 127.0.0.1, localhost or [::1])' })
  @MaxLength(1000)
  jwksUrl: string;

  @ApiProperty({ example: '<object id of the Entra service principal>', description: 'the exact `sub` of the assertions' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  subject: string;

  @ApiPropertyOptional({ example: 'api://AzureADTokenExchange', description: "a value the assertions' `aud` must contain; default: the tenant's token URL" })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  audience?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  description?: string;
}

export class CreateProductCredentialDto {
  @ApiPropertyOptional({ example: 'billing service' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  description?: string;
}

export class EventsRetentionDto {
  @ApiProperty({ example: 30, minimum: 1, maximum: 365, description: "days a tenant's change events stay readable through the events API" })
  @IsInt()
  @Min(1)
  @Max(365)
  days: number;
}

/** A query-string boolean: `true` or `false`; anything else is left as given, for IsBoolean to refuse. */
export const queryBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** `limit` of the admin API's lists: 1 to 10000, default 100. */
export class ListLimitDto {
  @ApiPropertyOptional({ default: 100, maximum: 10000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  limit?: number;
}

/** A list in id order, a page at a time: `after` the last id of the previous page, `limit` 1 to 1000 (default 100). */
export class IdPageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'the last id of the previous page' }) @IsOptional() @IsUUID() after?: string;
  @ApiPropertyOptional({ default: 100, maximum: 1000 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}
