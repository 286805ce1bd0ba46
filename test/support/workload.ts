import { DataSource } from 'typeorm';
import { storesOn } from '../../bench/tenants';
import { ScimClient } from './scim-client';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export interface WorkloadStats {
  acknowledged: number;
  unavailable: number; // 503 answers (retried)
  networkErrors: number; // connections refused or dropped (retried)
  retryAfterSeen: boolean;
  otherErrors: string[];
}

/**
 * A deterministic mix of writes: each user gets `opsPerUser` writes, one after another (as Entra does per
 * user), users in parallel. Every write changes the user, so an undisturbed run ends with version = number
 * of writes. A 503 or 429 is retried like Entra retries it; a retried create that meets 409, or a retried delete
 * that meets 404, means the first attempt was applied.
 */
export async function runWorkload(scim: ScimClient, opts: { users: number; opsPerUser: number; concurrency: number; tag: string }): Promise<WorkloadStats> {
  const stats: WorkloadStats = { acknowledged: 0, unavailable: 0, networkErrors: 0, retryAfterSeen: false, otherErrors: [] };
  let nextUser = 0;
  const lane = async () => {
    while (nextUser < opts.users) {
      const u = nextUser++;
      const userName = `${opts.tag}-user${u}@faults.example`;
      let id: string | undefined;
      for (let k = 0; k < opts.opsPerUser; k++) {
        const last = k === opts.opsPerUser - 1;
        for (let attempt = 0; ; attempt++) {
          let res: { status: number; headers: Headers; body: any };
          try {
            if (k === 0) res = await scim.post('/Users', { schemas: [USER], userName, title: 'v0', active: true });
            else if (last && u % 10 === 0) res = await scim.delete(`/Users/${id}`);
            else if (k % 10 === 5) res = await scim.put(`/Users/${id}`, { schemas: [USER], userName, title: `v${k}`, active: true });
            else if (k % 7 === 3)
              res = await scim.patch(`/Users/${id}`, {
                schemas: [PATCH_OP],
                Operations: [
                  { op: 'Replace', path: 'active', value: k % 2 ? 'False' : 'True' },
                  { op: 'Replace', path: 'title', value: `v${k}` },
                ],
              });
            else res = await scim.patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'title', value: `v${k}` }] });
          } catch (e) {
            res = { status: 0, headers: new Headers(), body: String(e) }; // connection refused while a process restarts
          }
          if (res.status >= 200 && res.status < 300) {
            if (k === 0) id = res.body.id;
            stats.acknowledged++;
            break;
          }
          if (k === 0 && res.status === 409 && attempt > 0) {
            const found = await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`);
            id = found.body.Resources[0].id;
            stats.acknowledged++;
            break;
          }
          if (last && u % 10 === 0 && res.status === 404 && attempt > 0) {
            stats.acknowledged++;
            break;
          }
          if (res.status === 503 || res.status === 429 || res.status === 0) {
            if (res.status === 0) stats.networkErrors++;
            else stats.unavailable++;
            if (res.headers.get('retry-after')) stats.retryAfterSeen = true;
            await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
            continue;
          }
          stats.otherErrors.push(`${userName} op ${k}: ${res.status} ${JSON.stringify(res.body)}`);
          break;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, lane));
  return stats;
}

/** What an undisturbed run of runWorkload ends with, per userName: [title, active, version], or deleted. */
export function expectedState(opts: {
  users: number;
  opsPerUser: number;
  tag: string;
}): Map<string, { title: string; active: boolean; version: number } | 'deleted'> {
  const out = new Map<string, { title: string; active: boolean; version: number } | 'deleted'>();
  for (let u = 0; u < opts.users; u++) {
    const userName = `${opts.tag}-user${u}@faults.example`;
    if (u % 10 === 0) {
      out.set(userName, 'deleted');
      continue;
    }
    let active = true;
    for (let k = 1; k < opts.opsPerUser; k++) {
      if (k % 10 === 5) active = true;
      else if (k % 7 === 3) active = !(k % 2);
    }
    out.set(userName, { title: `v${opts.opsPerUser - 1}`, active, version: opts.opsPerUser });
  }
  return out;
}

/**
 * The workload deactivates and deletes users far faster than the default deprovisioning threshold lets through (it
 * would hold them, and the expected state would not be reached): a tenant that runs it turns the threshold off.
 */
export async function withoutDeprovisioningThreshold(db: DataSource, tenantId: string): Promise<void> {
  await storesOn(db).deprovisioningHolds.setThreshold(tenantId, { maxUsers: null, maxPercent: null, windowSeconds: 3600 });
}
