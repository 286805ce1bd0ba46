import type { ConnectionCheck } from '@scimflow/contracts';
import { matchesAny, parseCidrList } from '../network/cidr';
import { parseIp } from '../network/ip-address';

/** A SCIM request as the request log recorded it. */
export interface LoggedRequest {
  at: string;
  sourceIp: string | null;
  method: string;
  path: string;
  status: number;
  responseBody: string | null;
}

/** The tenant guard's refusal of an address outside the allow-list (apps/ingress TenantAccess). */
const ALLOW_LIST_REFUSAL = /are not allowed for this tenant/;

/**
 * How a request (Entra's Test Connection, typically) fared at the gates: authentication (401 = failed) and the
 * allow-list (its 403). A request refused at authentication never reached the allow-list, so its address is judged
 * against the tenant's current allowed networks (none = every address allowed).
 */
export function connectionCheck(r: LoggedRequest, allowedSourceIps: readonly string[]): ConnectionCheck {
  const detail = r.status >= 400 ? errorDetail(r.responseBody) : null;
  const passedAuth = r.status !== 401;
  let passedAllowList: boolean;
  if (r.status === 403 && detail !== null && ALLOW_LIST_REFUSAL.test(detail)) passedAllowList = false;
  else if (passedAuth) passedAllowList = true;
  else passedAllowList = allowedSourceIps.length === 0 || matchesAny(parseCidrList(allowedSourceIps), r.sourceIp ? parseIp(r.sourceIp) : undefined);
  return { at: r.at, sourceIp: r.sourceIp, method: r.method, path: r.path, status: r.status, passedAuth, passedAllowList, ok: r.status < 400, detail };
}

/** The `detail` of a SCIM error body; null if the body is not one (or was truncated). */
export function errorDetail(body: string | null): string | null {
  if (!body) return null;
  try {
    const v = JSON.parse(body) as { detail?: unknown };
    return typeof v?.detail === 'string' ? v.detail : null;
  } catch {
    // a truncated answer is not JSON: no detail to show
    return null;
  }
}
