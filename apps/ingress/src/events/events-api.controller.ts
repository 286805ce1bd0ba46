import { Controller, Get, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import {
  ConsumerPositions,
  cursorExpired,
  decodeEventsCursor,
  decodeStateCursor,
  DEFAULT_EVENTS_LIMIT,
  DEFAULT_STATE_LIMIT,
  encodeEventsCursor,
  encodeStateCursor,
  MAX_EVENTS_LIMIT,
  MAX_STATE_LIMIT,
  parseLimit,
  parseTypes,
  parseWaitSeconds,
  pollEvents,
  StateKind,
} from '@scimflow/contracts';
import { Metrics } from '@scimflow/observability';
import { AuthenticatedProduct } from '@scimflow/access';
import { DirectoryState, ProductCredentials, TenantEvents } from '@scimflow/persistence';
import { ScimError } from '@scimflow/scim';
import { CurrentProduct, ProductGuard } from './product.guard';
import { TenantEventSignals } from './tenant-event-signals';

type Query = Record<string, unknown>;

function single(query: Query, name: string): string | undefined {
  const v = query[name];
  if (v === undefined || typeof v === 'string') return v;
  throw ScimError.badRequest('invalidValue', `${name} must be given once`);
}

/**
 * The events API (docs/events.md): a tenant's change events in commit order, pulled with a cursor, long-polled with
 * `wait`; and the state pull (users, groups with members) with the events cursor it was taken at. Product credentials only.
 */
@ApiTags('events API')
@ApiBearerAuth()
@Controller('api/v1')
@UseGuards(ProductGuard)
export class EventsApiController {
  private readonly served;
  private readonly positions: ConsumerPositions;

  constructor(
    private readonly events: TenantEvents,
    private readonly state: DirectoryState,
    credentials: ProductCredentials,
    private readonly signals: TenantEventSignals,
    metrics: Metrics,
  ) {
    this.positions = new ConsumerPositions(credentials);
    this.served = metrics.counter('scimflow_events_api_events_served_total', 'events answered by the events API');
  }

  @Get('events')
  @ApiOperation({ summary: "The tenant's change events after a cursor, in commit order; `wait` long-polls (at most 30 s)" })
  async list(@CurrentProduct() product: AuthenticatedProduct, @Query() query: Query, @Res() res: Response): Promise<void> {
    const { tenantId } = product;
    const cursor = single(query, 'after');
    const after = cursor === undefined || cursor === '' ? null : decodeEventsCursor(tenantId, cursor);
    const limit = parseLimit(single(query, 'limit'), DEFAULT_EVENTS_LIMIT, MAX_EVENTS_LIMIT);
    const types = parseTypes(single(query, 'types'));
    const waitMs = parseWaitSeconds(single(query, 'wait')) * 1000;
    await this.positions.read(product.credentialId, after ?? '0');
    const outcome = await pollEvents({
      after,
      limit,
      waitMs,
      read: (a) => this.events.read(tenantId, a, limit, types),
      wait: (ms) => this.signals.wait(tenantId, ms),
      closed: () => this.signals.closed,
    });
    if (outcome.expired) throw cursorExpired(await this.events.retentionDays(tenantId));
    this.served.inc(outcome.events.length);
    // the stored JSON text of each event goes out as it is (no parse and serialise per event)
    const items = outcome.events.map((e) => `{"cursor":${JSON.stringify(encodeEventsCursor(tenantId, e.position))},"event":${e.payload}}`);
    res
      .status(200)
      .type('application/json')
      .send(`{"events":[${items.join(',')}],"cursor":${JSON.stringify(encodeEventsCursor(tenantId, outcome.next))},"more":${outcome.more}}`);
  }

  @Get('users')
  @ApiOperation({ summary: "The tenant's users (SCIM documents with version), paged, with the events cursor to follow from" })
  async users(@CurrentProduct() product: AuthenticatedProduct, @Query() query: Query) {
    return this.pull('users', product, query, (tenantId, afterId, limit, position) => this.state.users(tenantId, afterId, limit, position));
  }

  @Get('groups')
  @ApiOperation({ summary: "The tenant's groups with their members, paged, with the events cursor to follow from" })
  async groups(@CurrentProduct() product: AuthenticatedProduct, @Query() query: Query) {
    return this.pull('groups', product, query, (tenantId, afterId, limit, position) => this.state.groups(tenantId, afterId, limit, position));
  }

  private async pull<T>(
    kind: StateKind,
    product: AuthenticatedProduct,
    query: Query,
    read: (
      tenantId: string,
      afterId: string | null,
      limit: number,
      position: string | null,
    ) => Promise<{ items: T[]; eventsPosition: string; lastId: string | null }>,
  ) {
    const { tenantId } = product;
    const cursor = single(query, 'cursor');
    const from = cursor === undefined || cursor === '' ? undefined : decodeStateCursor(tenantId, kind, cursor);
    const limit = parseLimit(single(query, 'limit'), DEFAULT_STATE_LIMIT, MAX_STATE_LIMIT);
    const page = await read(tenantId, from?.lastId ?? null, limit, from?.eventsPosition ?? null);
    return {
      items: page.items,
      eventsCursor: encodeEventsCursor(tenantId, page.eventsPosition),
      nextCursor: page.lastId ? encodeStateCursor(tenantId, kind, page.eventsPosition, page.lastId) : null,
    };
  }
}
