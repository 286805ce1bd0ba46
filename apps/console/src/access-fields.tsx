import { Field, useId } from './ui';

/** A tenant's allowed source IPs as typed: CIDR blocks, one per line or comma-separated. */
export function SourceIpsField({ label, hint, value, onInput }: { label: string; hint: string; value: string; onInput: (value: string) => void }) {
  const id = useId('ips');
  return (
    <Field id={id} label={label} hint={hint}>
      <textarea id={id} rows={3} value={value} aria-describedby={`${id}-hint`} onInput={(e) => onInput((e.currentTarget as HTMLTextAreaElement).value)} />
    </Field>
  );
}

/** A tenant's rate limit as typed: requests per second and burst, both empty for the configured default. */
export function RateLimitFields({
  perSecond,
  burst,
  onPerSecond,
  onBurst,
  placeholder,
}: {
  perSecond: string;
  burst: string;
  onPerSecond: (value: string) => void;
  onBurst: (value: string) => void;
  placeholder?: string;
}) {
  const ids = { ps: useId('ps'), burst: useId('burst') };
  const number = (id: string, value: string, onInput: (value: string) => void) => (
    <input
      id={id}
      type="number"
      min={1}
      max={1000000}
      inputMode="numeric"
      placeholder={placeholder}
      value={value}
      onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)}
    />
  );
  return (
    <div class="row">
      <Field id={ids.ps} label="Requests per second">
        {number(ids.ps, perSecond, onPerSecond)}
      </Field>
      <Field id={ids.burst} label="Burst">
        {number(ids.burst, burst, onBurst)}
      </Field>
    </div>
  );
}

/** The rate limit the fields ask for (burst defaults to the rate), or undefined when both are empty. */
export function rateLimitOf(perSecond: string, burst: string): { perSecond: number; burst: number } | undefined {
  return perSecond || burst ? { perSecond: Number(perSecond), burst: Number(burst || perSecond) } : undefined;
}
