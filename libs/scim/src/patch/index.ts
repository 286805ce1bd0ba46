export { compilePatchMessage, isPatchMessage, parsePatchRequest, patchMessageOf, PATCH_OP_SCHEMA } from './patch-request';
export type { PatchMessage, PatchMessageOperation, PatchOperation, PatchOpName } from './patch-request';
export { applyPatch } from './apply-patch';
export type { PatchResult } from './apply-patch';
