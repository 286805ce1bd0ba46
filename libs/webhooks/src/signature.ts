// The signing logic lives in the client package, which product services install to verify webhooks; scimflow signs with the same code.
export * from '../../../packages/client/src/signature';
