import type { ActivityBucket } from '@scimflow/contracts/views';
import { DataTable } from './table';
import { useId } from './ui';

const W = 720;
const H = 200;
const PAD = { left: 36, right: 8, top: 8, bottom: 24 };

const hour = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

/**
 * Requests per hour stacked by outcome. The SVG is one image with a text summary for screen readers; the same
 * numbers are in the table below it (a disclosure), so nothing depends on seeing colours.
 */
export function ActivityChart({ buckets }: { buckets: ActivityBucket[] }) {
  const id = useId('chart');
  const total = buckets.reduce((s, b) => s + b.total, 0);
  const client = buckets.reduce((s, b) => s + b.clientErrors, 0);
  const server = buckets.reduce((s, b) => s + b.serverErrors, 0);
  const peak = buckets.reduce<ActivityBucket | null>((p, b) => (!p || b.total > p.total ? b : p), null);
  const max = Math.max(1, ...buckets.map((b) => b.total));
  const scale = niceMax(max);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, buckets.length);
  const barW = Math.max(2, slot * 0.7);
  const y = (v: number) => PAD.top + plotH - (v / scale) * plotH;
  const summary =
    `${total} requests in ${buckets.length} hours: ${total - client - server} succeeded, ${client} client errors, ${server} server errors.` +
    (peak && peak.total ? ` Busiest hour ${hour(peak.start)} with ${peak.total}.` : '');
  const labelEvery = Math.max(1, Math.ceil(buckets.length / 8));
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-t ${id}-d`} preserveAspectRatio="none" class="bars">
        <title id={`${id}-t`}>Requests per hour by outcome</title>
        <desc id={`${id}-d`}>{summary}</desc>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(scale * f)} y2={y(scale * f)} class="grid" />
            <text x={PAD.left - 4} y={y(scale * f) + 4} class="axis" text-anchor="end">
              {Math.round(scale * f)}
            </text>
          </g>
        ))}
        {buckets.map((b, i) => {
          const x = PAD.left + i * slot + (slot - barW) / 2;
          const ok = b.total - b.clientErrors - b.serverErrors;
          let top = y(0);
          const seg = (v: number, cls: string) => {
            if (v <= 0) return null;
            const h = (v / scale) * plotH;
            top -= h;
            return <rect x={x} y={top} width={barW} height={h} class={cls} />;
          };
          return (
            <g key={b.start}>
              {seg(ok, 'ok')}
              {seg(b.clientErrors, 'client')}
              {seg(b.serverErrors, 'server')}
              {i % labelEvery === 0 ? (
                <text x={x + barW / 2} y={H - 6} class="axis" text-anchor="middle">
                  {hour(b.start)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul class="legend">
          <li>
            <span class="swatch ok" aria-hidden="true" /> succeeded (2xx/3xx)
          </li>
          <li>
            <span class="swatch client" aria-hidden="true" /> client errors (4xx)
          </li>
          <li>
            <span class="swatch server" aria-hidden="true" /> server errors (5xx)
          </li>
        </ul>
        <p>{summary}</p>
      </figcaption>
      <details>
        <summary>Show the numbers as a table</summary>
        <DataTable
          rows={buckets}
          rowKey={(b) => b.start}
          caption="Requests per hour"
          empty="No requests."
          columns={[
            {
              header: 'Hour starting',
              rowHeader: true,
              cell: (b) => (
                <time dateTime={b.start}>
                  {new Date(b.start).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })}
                </time>
              ),
            },
            { header: 'Total', class: 'num', cell: (b) => b.total },
            { header: 'Succeeded', class: 'num', cell: (b) => b.ok },
            { header: 'Client errors', class: 'num', cell: (b) => b.clientErrors },
            { header: 'Server errors', class: 'num', cell: (b) => b.serverErrors },
          ]}
        />
      </details>
    </figure>
  );
}

function niceMax(v: number): number {
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}
