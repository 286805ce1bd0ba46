import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import { IsInt, Max, Min, ValidateBy, ValidationArguments, ValidationError, validateSync } from 'class-validator';

/** A group of settings: a class whose fields are environment variables, with their defaults and validation decorators. */
export type SettingsPart = new () => object;

/** Settings composed of parts by configOf: what an app, or one of its components, reads. */
export interface ConfigClass<C extends object = object> {
  new (): C;
  /** every part, once */
  readonly parts: readonly SettingsPart[];
  /** the composed settings it includes, which components may inject instead of the whole */
  readonly views: readonly ConfigClass[];
}

type Included = SettingsPart | ConfigClass;
type Merged<P extends readonly Included[]> = P extends readonly [infer H extends Included, ...infer T extends readonly Included[]]
  ? InstanceType<H> & Merged<T>
  : object;

const isComposed = (c: Included): c is ConfigClass => 'parts' in c;

/**
 * The settings of `included` (parts, or settings composed before) as one class: `class IngressConfig extends
 * configOf(…) {}`. A new instance holds every default; validateConfig makes one from the environment.
 */
export function configOf<P extends Included[]>(...included: P): ConfigClass<Merged<P>> {
  const parts = [...new Set(included.flatMap((c) => (isComposed(c) ? c.parts : [c])))];
  const views = [...new Set(included.flatMap((c) => (isComposed(c) ? [c, ...c.views] : [])))];
  const declaredBy = new Map<string, string>();
  for (const part of parts)
    for (const key of Object.keys(new part())) {
      const other = declaredBy.get(key);
      if (other) throw new Error(`${key} is declared by both ${other} and ${part.name}`);
      declaredBy.set(key, part.name);
    }
  return class Settings {
    static readonly parts = parts;
    static readonly views = views;
    constructor() {
      for (const part of parts) Object.assign(this, new part());
    }
  } as unknown as ConfigClass<Merged<P>>;
}

/**
 * The settings of `schema` read from the environment: unset or empty variables take their defaults. Invalid settings
 * throw one readable message listing each problem; settings that `schema` does not include are not looked at.
 */
export function validateConfig<C extends object>(schema: ConfigClass<C>, env: Record<string, unknown>): C {
  const errors: ValidationError[] = [];
  const parts = schema.parts.map((part) => {
    const given: Record<string, unknown> = {};
    for (const key of Object.keys(new part())) if (env[key] !== undefined && env[key] !== '') given[key] = env[key];
    const settings = plainToInstance(part, given, { exposeDefaultValues: true });
    errors.push(...validateSync(settings, { skipMissingProperties: false }));
    return settings;
  });
  if (errors.length > 0) {
    // secrets are never echoed, not even a wrong one
    const shown = (p: string) => (/TOKEN|SECRET|PASSWORD/.test(p) ? '"<redacted>"' : JSON.stringify(env[p] ?? null));
    const lines = errors.map((e) => `  - ${e.property}=${shown(e.property)}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return Object.assign(new schema(), ...parts);
}

/** Environment variables are strings: numbers are read from them; unset stays unset (the default applies). */
export const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

/** An integer setting from `min` (and up to `max`): read from its string, each bound with class-validator's own message. */
export function IntegerSetting(min: number, max?: number): PropertyDecorator {
  const decorators: PropertyDecorator[] = [Transform(toInt), IsInt(), Min(min), ...(max === undefined ? [] : [Max(max)])];
  // applied last first, as the same decorators stacked on the property would be: the messages keep their order
  return (target, key) => {
    for (const decorate of [...decorators].reverse()) decorate(target, key);
  };
}

/** `true`/`false` (any case), `1`/`0`; anything else stays as given and fails IsBoolean. */
export const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  return v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : value;
};

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * A rule between two settings of one part: this one must be at least `other` + `margin`. Checked only when both are
 * numbers (a setting that is not gets its own message).
 */
export function AtLeastSettingPlus(other: string, margin: number) {
  const bound = (args: ValidationArguments) => (args.object as Record<string, unknown>)[other];
  return ValidateBy({
    name: 'atLeastSettingPlus',
    constraints: [other, margin],
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        const floor = args && bound(args);
        return !isNumber(value) || !isNumber(floor) || value >= floor + margin;
      },
      defaultMessage: (args?: ValidationArguments) =>
        `${args?.property} (${args?.value}) must be at least ${other} + ${margin} (${Number(args && bound(args)) + margin})`,
    },
  });
}
