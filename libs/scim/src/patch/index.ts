export { parsePatchRequest, PATCH_OP_SCHEMA } from './patch-request';
export type { PatchOperation, PatchOpName } from './patch-request';
export { applyPatch } from './apply-patch';
export type { PatchResult } from './apply-patch';
