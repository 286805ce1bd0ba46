export * from './events-client';
export { verifyWebhook, WebhookHeader, DEFAULT_TOLERANCE_SECONDS } from './signature';
export type { VerifyResult } from './signature';
