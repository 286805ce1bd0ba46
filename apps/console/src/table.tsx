import { Fragment, type ComponentChildren } from 'preact';
import { Empty } from './ui';

export interface Column<T> {
  /** the column header: words, or a visually hidden label (`<SrOnly>`) over a column of buttons */
  header: ComponentChildren;
  cell: (row: T) => ComponentChildren;
  /** on the header and the cells (`num` aligns numbers) */
  class?: string;
  /** on the cells only (`mono`, `wrap`, `buttons`) */
  cellClass?: string;
  /** the row's header cell (`<th scope="row">`), for tables read row by row */
  rowHeader?: boolean;
  /** the cells' hover text (the whole value of a cell that shows it shortened) */
  title?: (row: T) => string;
}

/** An open row's detail, shown in a full-width row under it; `id` is what its disclosure button controls. */
export interface RowDetail {
  id: string;
  content: ComponentChildren;
}

/**
 * A list as a table: one row per item, one cell per column, or `empty` in words when there are none. Rows with an
 * open `detail` get class `open` and a detail row under them.
 */
export function DataTable<T>({
  rows,
  columns,
  rowKey,
  empty,
  caption,
  class: cls,
  rowClass,
  detail,
}: {
  rows: readonly T[];
  columns: Column<T>[];
  rowKey: (row: T) => string;
  empty: ComponentChildren;
  /** read by screen readers only */
  caption?: string;
  class?: string;
  rowClass?: (row: T) => string;
  detail?: (row: T) => RowDetail | null;
}) {
  if (rows.length === 0) return <Empty>{empty}</Empty>;
  return (
    <div class="table-wrap">
      <table class={cls}>
        {caption ? <caption class="sr-only">{caption}</caption> : null}
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col" class={c.class}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const open = detail?.(row) ?? null;
            return (
              <Fragment key={rowKey(row)}>
                <tr class={detail ? (open ? 'open' : '') : rowClass?.(row)}>{columns.map((c, i) => cell(c, row, i))}</tr>
                {open ? (
                  <tr class="detail-row">
                    <td colSpan={columns.length} id={open.id}>
                      {open.content}
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function cell<T>(c: Column<T>, row: T, i: number) {
  const cls = [c.class, c.cellClass].filter(Boolean).join(' ') || undefined;
  const title = c.title?.(row);
  return c.rowHeader ? (
    <th key={i} scope="row" class={cls} title={title}>
      {c.cell(row)}
    </th>
  ) : (
    <td key={i} class={cls} title={title}>
      {c.cell(row)}
    </td>
  );
}

/** A label only screen readers read (the header of a column of buttons). */
export function SrOnly({ children }: { children: ComponentChildren }) {
  return <span class="sr-only">{children}</span>;
}

/** The button that opens and closes a row's detail; `of` names the row for screen readers. */
export function DisclosureButton({
  label,
  of,
  open,
  controls,
  onToggle,
}: {
  label: string;
  of: string;
  open: boolean;
  controls: string;
  onToggle: () => void;
}) {
  return (
    <button type="button" class="secondary small" aria-expanded={open} aria-controls={controls} onClick={onToggle}>
      {open ? 'Hide' : label}
      <span class="sr-only"> of {of}</span>
    </button>
  );
}
