import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ClientSecretView,
  CreatedProductCredential,
  CreatedSecretTokenView,
  CreatedTenantView,
  EventConsumerView,
  EventsRetentionView,
  FederatedCredentialView,
  OAuthClientView,
  ParkedCommandState,
  ParkedCommandView,
  ParkReason,
  ProductCredentialView,
  SecretTokenView,
  SigningKeyState,
  SigningKeyView,
  TENANT_PROFILES,
  TenantProfile,
  TenantStatus,
  TenantView,
} from '@scimflow/contracts';
import { RateLimitDto } from './admin.dto';

/** Response shapes for the OpenAPI document (each implements its view in @scimflow/contracts). */

export class TenantSchema implements TenantView {
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: TENANT_PROFILES }) profile: TenantProfile;
  @ApiProperty({ enum: ['active', 'disabled'] }) status: TenantStatus;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ description: 'Entra "Tenant URL"' }) scimBaseUrl: string;
  @ApiProperty({ description: 'Entra "Token Endpoint"' }) tokenUrl: string;
  @ApiProperty({ type: [String] }) allowedSourceIps: string[];
  @ApiProperty({ type: RateLimitDto, nullable: true, description: 'null: the configured default' }) rateLimit: RateLimitDto | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) settings: Record<string, unknown>;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: "paused since: Entra's requests answered 503 + Retry-After" })
  intakePausedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'paused since: change events held in order, no webhook delivered' })
  deliveryPausedAt: string | null;
}

export class CreatedTenantSchema implements CreatedTenantView {
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ description: 'Entra "Tenant URL"' }) scimBaseUrl: string;
  @ApiProperty({ description: 'Entra "Secret Token"; shown once' }) token: string;
  @ApiProperty({ description: 'Entra "Token Endpoint"' }) tokenUrl: string;
  @ApiProperty({ description: 'Entra "Client Identifier"' }) clientId: string;
  @ApiProperty({ description: 'Entra "Client Secret"; shown once' }) clientSecret: string;
}

export class SecretTokenSchema implements SecretTokenView {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastUsedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt: string | null;
}

export class CreatedSecretTokenSchema implements CreatedSecretTokenView {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'shown once' }) token: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class OAuthClientSchema implements OAuthClientView {
  @ApiProperty() clientId: string;
  @ApiProperty() hasSecret: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) secretCreatedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastUsedAt: string | null;
  @ApiProperty() tokenUrl: string;
}

export class ClientSecretSchema implements ClientSecretView {
  @ApiProperty() clientId: string;
  @ApiProperty({ description: 'shown once' }) clientSecret: string;
  @ApiProperty() tokenUrl: string;
}

export class FederatedCredentialSchema implements FederatedCredentialView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() issuer: string;
  @ApiProperty() jwksUrl: string;
  @ApiProperty() subject: string;
  @ApiProperty() audience: string;
  @ApiPropertyOptional({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastUsedAt: string | null;
}

export class SigningKeySchema implements SigningKeyView {
  @ApiProperty() kid: string;
  @ApiProperty({ example: 'ES256' }) algorithm: string;
  @ApiProperty({ enum: ['signing', 'verifying', 'expired', 'retired'] }) state: SigningKeyState;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) verifyUntil: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) retiredAt: string | null;
}

export class ErrorSchema {
  @ApiProperty({ example: ['urn:ietf:params:scim:api:messages:2.0:Error'] }) schemas: string[];
  @ApiProperty({ example: '404' }) status: string;
  @ApiPropertyOptional() scimType?: string;
  @ApiProperty() detail: string;
}

export class ParkedCommandSchema implements ParkedCommandView {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'tenantId:resourceId, the key whose commands wait' }) recordKey: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ format: 'uuid' }) commandId: string;
  @ApiProperty({ enum: ['User', 'Group'] }) resourceType: string;
  @ApiProperty({ format: 'uuid' }) resourceId: string;
  @ApiProperty() action: string;
  @ApiProperty({ description: 'topic[partition]@offset of the command record' }) source: string;
  @ApiProperty({
    enum: ['failed', 'heavy', 'held', 'behind'],
    description:
      "failed after its retries, slow to apply (applied in the background), a deprovisioning held beyond the tenant's threshold, or behind one of those",
  })
  reason: ParkReason;
  @ApiProperty({
    enum: ['failing', 'pending', 'held', 'waiting'],
    description:
      "failing: the user's first parked command, retried; pending: first, not tried yet; held: first, a deprovisioning waiting for an operator's decision on its hold; waiting: behind it, in order",
  })
  state: ParkedCommandState;
  @ApiProperty({ nullable: true, type: String, description: 'the deprovisioning hold of a held command' }) holdId: string | null;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty() attempts: number;
  @ApiProperty({ format: 'date-time' }) parkedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastAttemptAt: string | null;
  @ApiProperty({ description: "date-time, or 'infinity' for a held command whose hold is open" }) nextAttemptAt: string;
}

export class DeprovisionThresholdSchema {
  @ApiProperty({ nullable: true, type: Number, description: 'more deprovisionings than this within the window are held; null: no limit by count' }) maxUsers:
    number | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: "more than this % of the tenant's active users within the window are held; null: no limit by share",
  })
  maxPercent: number | null;
  @ApiProperty({ description: 'the sliding window, in seconds' }) windowSeconds: number;
}

export class HeldUserSchema {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ nullable: true, type: String }) userName: string | null;
}

export class DeprovisioningHoldSchema {
  @ApiProperty() holdId: string;
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty({ enum: ['open', 'approved', 'rejected'] }) status: string;
  @ApiProperty({ format: 'date-time' }) openedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) decidedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) decidedBy: string | null;
  @ApiProperty({ description: 'deprovisioning commands held in it (still waiting)' }) commands: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) firstAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastAt: string | null;
  @ApiProperty({ type: [HeldUserSchema], description: 'a few of its users' }) sampleUsers: HeldUserSchema[];
}

export class ProductCredentialSchema implements ProductCredentialView {
  @ApiProperty() id: string;
  @ApiProperty() tenantId: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastUsedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt: string | null;
}

export class CreatedProductCredentialSchema implements CreatedProductCredential {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'shown once: `Authorization: Bearer sfp_…` on /api/v1' }) credential: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class EventConsumerSchema implements EventConsumerView {
  @ApiProperty({ description: 'the product credential id' }) id: string;
  @ApiProperty() tenantId: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'the log position the consumer last read after; null before its first read' }) position:
    string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastReadAt: string | null;
  @ApiProperty({ description: "the tenant's retained events after position" }) lagEvents: number;
  @ApiProperty({ description: 'age in seconds of the oldest of those events (0 when none)' }) lagSeconds: number;
}

export class EventsRetentionSchema implements EventsRetentionView {
  @ApiProperty() days: number;
}
