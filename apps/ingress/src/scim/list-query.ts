import { plainToInstance, Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, validateSync } from 'class-validator';
import { ScimError } from '@scimflow/scim';

export const MAX_PAGE_SIZE = 200;
const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value;

/** Query parameters of a SCIM list request (RFC 7644 §3.4.2). */
export class ListQuery {
  @IsOptional() @IsString() @MaxLength(10000)
  filter?: string;

  /** 1-based; values below 1 are read as 1 (RFC 7644 §3.4.2.4) */
  @IsOptional() @Transform(toInt) @IsInt()
  startIndex?: number;

  /** negative values are read as 0; above the maximum, the maximum */
  @IsOptional() @Transform(toInt) @IsInt()
  count?: number;

  @IsOptional() @Transform(toList) @IsString({ each: true })
  attributes?: string[];

  @IsOptional() @Transform(toList) @IsString({ each: true })
  excludedAttributes?: string[];

  static parse(query: Record<string, unknown>): Required<Pick<ListQuery, 'startIndex' | 'count'>> & ListQuery {
    const q = plainToInstance(ListQuery, query);
    const errors = validateSync(q, { whitelist: false });
    if (errors.length) {
      const detail = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`).join('; ');
      throw ScimError.badRequest('invalidValue', `Invalid query parameters: ${detail}`);
    }
    return {
      ...q,
      startIndex: Math.max(1, q.startIndex ?? 1),
      count: Math.min(MAX_PAGE_SIZE, Math.max(0, q.count ?? 100)),
    };
  }
}

/** Query parameters of a single-resource read. */
export function projectionOf(query: Record<string, unknown>): Pick<ListQuery, 'attributes' | 'excludedAttributes'> {
  const { attributes, excludedAttributes } = ListQuery.parse({ attributes: query.attributes, excludedAttributes: query.excludedAttributes });
  return { attributes, excludedAttributes };
}
