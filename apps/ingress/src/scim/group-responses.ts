import { Injectable, Logger } from '@nestjs/common';
import { Response } from 'express';
import { IngressConfig } from '@scimflow/config';
import { StoredResourceView } from '@scimflow/contracts';
import { GroupStore } from '@scimflow/persistence';
import { etag, LIST_RESPONSE_SCHEMA, MemberView, memberProjection, pick, renderGroup, renderMember, storedView } from '@scimflow/provisioning';
import { groupResourceTypeSchemas as groupTypes, ProjectionOptions, projectResource, ScimError } from '@scimflow/scim';
import { ListRequest } from './list-query';
import { SCIM_CONTENT_TYPE } from './scim-exception.filter';

/**
 * Writes groups as SCIM JSON with their members streamed from the membership table page by page, so a group of
 * 50,000 members is answered in bounded memory. A group and its members are read in one snapshot (the members are
 * those of the version in the ETag). When the projection leaves `members` out (Entra's `excludedAttributes=members`)
 * the membership table is not read at all.
 */
@Injectable()
export class GroupResponses {
  private readonly logger = new Logger(GroupResponses.name);

  constructor(
    private readonly groups: GroupStore,
    private readonly config: IngressConfig,
  ) {}

  /** GET /Groups/{id} */
  async sendById(res: Response, tenantId: string, id: string, projection: ProjectionOptions): Promise<void> {
    await this.streaming(res, () =>
      this.groups.snapshot(async (em) => {
        const group = await this.groups.findById(tenantId, id, em);
        if (!group) throw ScimError.notFound(`Group ${id} not found`);
        const out = this.begin(res, 200, { ETag: etag(group.version) });
        await this.writeGroup(out, tenantId, storedView(group), projection, (gid) => this.groups.members(em, tenantId, gid));
        res.end();
      }),
    );
  }

  /** The answer to a write: the outcome's group, with the members as stored now. */
  async sendWritten(res: Response, tenantId: string, view: StoredResourceView, status: 200 | 201): Promise<void> {
    const head = renderGroup(view, this.baseUrl(tenantId));
    const headers: Record<string, string> = { ETag: (head.meta as { version: string }).version };
    if (status === 201) headers.Location = (head.meta as { location: string }).location;
    await this.streaming(res, () =>
      this.groups.snapshot(async (em) => {
        const out = this.begin(res, status, headers);
        await this.writeGroup(out, tenantId, view, {}, (gid) => this.groups.members(em, tenantId, gid));
        res.end();
      }),
    );
  }

  /** GET /Groups and POST /Groups/.search: a ListResponse whose groups carry their members (unless projected away). */
  async sendList(res: Response, tenantId: string, q: ListRequest): Promise<void> {
    await this.streaming(res, () =>
      this.groups.snapshot(async (em) => {
        const { total, groups } = await this.groups.list(tenantId, q, em);
        const out = this.begin(res, 200, {});
        await out.write(
          `{"schemas":${JSON.stringify([LIST_RESPONSE_SCHEMA])},"totalResults":${total},"startIndex":${q.startIndex},"itemsPerPage":${groups.length},"Resources":[`,
        );
        for (const [i, group] of groups.entries()) {
          if (i) await out.write(',');
          await this.writeGroup(out, tenantId, storedView(group), q, (gid) => this.groups.members(em, tenantId, gid));
        }
        await out.write(']}');
        res.end();
      }),
    );
  }

  private async writeGroup(
    out: ResponseWriter,
    tenantId: string,
    view: StoredResourceView,
    projection: ProjectionOptions,
    members: (groupId: string) => AsyncGenerator<MemberView[]>,
  ): Promise<void> {
    const base = this.baseUrl(tenantId);
    const head = JSON.stringify(projectResource(renderGroup(view, base), groupTypes, projection));
    const subs = memberProjection(projection);
    if (!subs) return out.write(head);
    const pages = members(view.id);
    let page = await pages.next();
    // No members: the attribute is unassigned and left out, as empty multi-valued attributes are everywhere else.
    if (page.done) return out.write(head);
    await out.write(`${head.slice(0, -1)}${head === '{}' ? '' : ','}"members":[`);
    let first = true;
    while (!page.done) {
      const text = page.value.map((m) => JSON.stringify(pick(renderMember(m, base), subs))).join(',');
      await out.write(first ? text : `,${text}`);
      first = false;
      page = await pages.next();
    }
    await out.write(']}');
  }

  private begin(res: Response, status: number, headers: Record<string, string>): ResponseWriter {
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    res.status(status).type(SCIM_CONTENT_TYPE);
    return new ResponseWriter(res);
  }

  /**
   * Errors before the first byte become SCIM errors as usual (the exception filter). Once the status line is out,
   * an error can only cut the response short: the connection is destroyed so the client sees an incomplete answer
   * rather than well-formed JSON missing members.
   */
  private async streaming(res: Response, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (e) {
      if (!res.headersSent) throw e;
      this.logger.warn(`group response aborted after it started: ${(e as Error).message}`);
      res.destroy(e as Error);
    }
  }

  private baseUrl(tenantId: string): string {
    return `${this.config.PUBLIC_BASE_URL}/scim/v2/${tenantId}`;
  }
}

/** Writes to the HTTP response, waiting while the socket's buffer is full; fails if the client goes away. */
class ResponseWriter {
  constructor(private readonly res: Response) {}

  write(chunk: string): Promise<void> {
    if (this.res.destroyed) return Promise.reject(new Error('the client closed the connection'));
    if (this.res.write(chunk)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (error?: Error) => {
        this.res.off('drain', onDrain);
        this.res.off('close', onClose);
        if (error) reject(error);
        else resolve();
      };
      const onDrain = () => done();
      const onClose = () => done(new Error('the client closed the connection'));
      this.res.once('drain', onDrain);
      this.res.once('close', onClose);
    });
  }
}
