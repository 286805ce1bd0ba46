import { ValidateBy, ValidationArguments } from 'class-validator';
import { CidrError, parseCidrList } from '@scimflow/access';

function cidrProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a comma-separated list of CIDR blocks';
  try {
    parseCidrList(value);
    return undefined;
  } catch (e) {
    if (e instanceof CidrError) return e.message;
    throw e;
  }
}

/** A comma-separated list of CIDR blocks (IPv4 or IPv6); empty is allowed. */
export function IsCidrList() {
  return ValidateBy({
    name: 'isCidrList',
    validator: {
      validate: (value: unknown) => cidrProblem(value) === undefined,
      defaultMessage: (args?: ValidationArguments) => `${args?.property} ${cidrProblem(args?.value)}`,
    },
  });
}

/** Empty (admin API disabled) or a credential long enough not to be guessed. */
export function IsAdminToken() {
  return ValidateBy({
    name: 'isAdminToken',
    validator: {
      validate: (value: unknown) => value === '' || (typeof value === 'string' && value.length >= 32 && !/\s/.test(value)),
      defaultMessage: () => 'ADMIN_TOKEN must be empty (admin API disabled) or at least 32 characters without spaces, e.g. `openssl rand -base64 32`',
    },
  });
}
