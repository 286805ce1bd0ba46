import type { ComponentChildren, JSX } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api';

// Routing: the app routes on location.pathname (the ingress serves index.html for every /console/ page).

const listeners = new Set<() => void>();

export function navigate(to: string): void {
  history.pushState(null, '', to);
  listeners.forEach((l) => l());
  window.scrollTo(0, 0);
}

export function useLocation(): { path: string; search: URLSearchParams } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const update = () => setTick((t) => t + 1);
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return { path: location.pathname.replace(/\/+$/, '') || '/', search: new URLSearchParams(location.search) };
}

export function Link(props: JSX.HTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const onClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(props.href);
  };
  return <a {...props} onClick={onClick} />;
}

/** The page around every screen: a skip link, the top bar with the brand, and the main region the skip link targets. */
export function PageFrame({
  topClass,
  brand,
  bar,
  mainClass,
  children,
}: {
  topClass?: string;
  brand: ComponentChildren;
  /** what the top bar holds after the brand (navigation, sign out) */
  bar?: ComponentChildren;
  mainClass?: string;
  children: ComponentChildren;
}) {
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class={topClass ? `top ${topClass}` : 'top'}>
        <div class="brand">{brand}</div>
        {bar}
      </header>
      <main id="main" class={mainClass} tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

export function Logo() {
  return (
    <span aria-hidden="true" class="logo">
      ◆
    </span>
  );
}

// Loading data.

export interface Loaded<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setLoading(true);
    load().then(
      (d) => {
        if (!live) return;
        setData(d);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(messageOf(e));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

/** Reloads every `ms` while the component is shown (a page that keeps itself current). */
export function useRefresh(reload: () => void, ms: number): void {
  useEffect(() => {
    const timer = setInterval(reload, ms);
    return () => clearInterval(timer);
  }, [reload, ms]);
}

export function messageOf(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

/**
 * Runs an action, keeping its error to show and its busy state for the button: `run` gives its result (undefined when
 * it failed), `succeeded` whether it went through (for actions that answer nothing, such as a DELETE).
 */
export function useAction(): {
  busy: boolean;
  error: string | null;
  run: <T>(f: () => Promise<T>) => Promise<T | undefined>;
  succeeded: (f: () => Promise<unknown>) => Promise<boolean>;
  clear: () => void;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async <T,>(f: () => Promise<T>) => {
    setBusy(true);
    setError(null);
    try {
      return await f();
    } catch (e) {
      setError(messageOf(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  const succeeded = useCallback(async (f: () => Promise<unknown>) => (await run(() => f().then(() => true))) === true, [run]);
  return { busy, error, run, succeeded, clear: () => setError(null) };
}

export function ErrorMessage({ error }: { error: string | null | undefined }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      <span aria-hidden="true">⚠ </span>
      {error}
    </p>
  );
}

export function Loading({ what }: { what?: string }) {
  return (
    <p class="muted" role="status">
      Loading{what ? ` ${what}` : ''}…
    </p>
  );
}

/** Shows a loaded value, its loading state or its error. */
export function Show<T>({ loaded, what, children }: { loaded: Loaded<T>; what?: string; children: (data: T) => ComponentChildren }) {
  if (loaded.error) return <ErrorMessage error={loaded.error} />;
  if (loaded.data === undefined) return <Loading what={what} />;
  return <>{children(loaded.data)}</>;
}

// Formatting.

export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function ago(iso: string | null | undefined): string {
  if (!iso) return 'never';
  const s = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} days ago`;
}

/** How long ago, or "never". */
export function Ago({ iso }: { iso: string | null | undefined }) {
  return iso ? <>{ago(iso)}</> : <span class="muted">never</span>;
}

export function percent(ratio: number): string {
  return `${Math.round(ratio * 1000) / 10} %`;
}

export function Time({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span class="muted">never</span>;
  return (
    <time dateTime={iso} title={iso}>
      {when(iso)}
    </time>
  );
}

// Secrets and copying.

async function copyText(text: string, fallbackFrom: HTMLInputElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the selection fallback (clipboard permission refused)
  }
  if (fallbackFrom) {
    fallbackFrom.focus();
    fallbackFrom.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
  return false;
}

let fieldIds = 0;
export function useId(prefix: string): string {
  const ref = useRef<string | null>(null);
  if (ref.current === null) ref.current = `${prefix}-${++fieldIds}`;
  return ref.current;
}

/** A value to hand over (a URL, a token): read-only field, copy button, and what happened announced. */
export function CopyField({ label, value, secret, hint }: { label: string; value: string; secret?: boolean; hint?: string }) {
  const id = useId('copy');
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<'idle' | 'copied' | 'select'>('idle');
  const onCopy = async () => {
    const ok = await copyText(value, input.current);
    setState(ok ? 'copied' : 'select');
    if (!ok && input.current) {
      input.current.focus();
      input.current.select();
    }
  };
  return (
    <div class={`copy-field${secret ? ' secret' : ''}`}>
      <label for={id}>{label}</label>
      <div class="copy-row">
        <input
          id={id}
          ref={input}
          type="text"
          readOnly
          value={value}
          spellcheck={false}
          autoComplete="off"
          onFocus={(e) => (e.currentTarget as HTMLInputElement).select()}
        />
        <button type="button" onClick={onCopy} aria-label={`Copy ${label}`}>
          Copy
        </button>
      </div>
      <span class="copy-status" role="status" aria-live="polite">
        {state === 'copied' ? `✓ ${label} copied` : state === 'select' ? 'Selected: press Ctrl+C (⌘C) to copy' : ''}
      </span>
      {hint ? <p class="hint">{hint}</p> : null}
    </div>
  );
}

/** Secrets shown once: the panel says so and can be dismissed. */
export function OnceBox({ title, children, onDone }: { title: string; children: ComponentChildren; onDone?: () => void }) {
  const ref = useRef<HTMLElement>(null);
  const id = useId('once');
  useEffect(() => ref.current?.focus(), []);
  return (
    <section class="once" aria-labelledby={id} tabIndex={-1} ref={ref}>
      <h2 id={id}>{title}</h2>
      <p class="warn">
        <strong>Shown once.</strong> Copy these now: scimflow keeps only a hash and cannot show them again.
      </p>
      {children}
      {onDone ? (
        <button type="button" class="secondary" onClick={onDone}>
          I have copied them
        </button>
      ) : null}
    </section>
  );
}

// Forms.

/** The entries of a list typed one per line or comma-separated (CIDR blocks, event types). */
export function listOf(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);
}

export function Field({ label, hint, children, id }: { label: string; hint?: string; id: string; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** A select beside its label, in a section's head: picks what the section shows. */
export function InlineSelect({
  idPrefix,
  label,
  value,
  onChange,
  children,
}: {
  idPrefix: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  children: ComponentChildren;
}) {
  const id = useId(idPrefix);
  return (
    <div class="field inline">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value)}>
        {children}
      </select>
    </div>
  );
}

/** A destructive action confirmed by typing a name (the tenant's). */
export function TypedConfirm({
  action,
  name,
  onConfirm,
  busy,
  danger,
}: {
  action: string;
  name: string;
  onConfirm: () => void;
  busy: boolean;
  danger?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const id = useId('confirm');
  if (!open)
    return (
      <button type="button" class={danger ? 'danger' : 'secondary'} onClick={() => setOpen(true)}>
        {action}…
      </button>
    );
  return (
    <form
      class="confirm"
      onSubmit={(e) => {
        e.preventDefault();
        if (typed === name) onConfirm();
      }}
    >
      <label for={id}>
        Type <strong class="mono">{name}</strong> to {action.toLowerCase()}
      </label>
      <input id={id} value={typed} onInput={(e) => setTyped((e.currentTarget as HTMLInputElement).value)} autoComplete="off" autoFocus />
      <div class="buttons">
        <button type="submit" class={danger ? 'danger' : ''} disabled={typed !== name || busy}>
          {action}
        </button>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setOpen(false);
            setTyped('');
          }}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}

/** A status code with its class in words and colour. */
export function StatusBadge({ status }: { status: number }) {
  const kind = status >= 500 ? 'bad' : status >= 400 ? 'warn' : 'ok';
  return <span class={`badge ${kind}`}>{status}</span>;
}

/** A credential's state: revoked, or active. */
export function RevokedBadge({ revokedAt }: { revokedAt: string | null }) {
  return revokedAt ? <span class="badge bad">revoked</span> : <span class="badge ok">active</span>;
}

/** An id with its description under it. */
export function Described({ id, description }: { id: string; description: string | null }) {
  return (
    <>
      <span class="mono">{id}</span>
      {description ? <div class="sub">{description}</div> : null}
    </>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="muted empty">{children}</p>;
}

/** A button whose action needs a second, explicit click (revoking a credential Entra may be using). */
export function ConfirmButton({
  label,
  confirm,
  onConfirm,
  busy,
  srLabel,
  class: cls,
}: {
  label: string;
  confirm: string;
  onConfirm: () => void;
  busy: boolean;
  srLabel?: string;
  class?: string;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" class={cls ?? 'secondary small'} disabled={busy} onClick={() => setAsking(true)}>
        {label}
        {srLabel ? <span class="sr-only"> {srLabel}</span> : null}
      </button>
    );
  return (
    <span class="confirm-inline" role="group" aria-label={`${label}${srLabel ? ` ${srLabel}` : ''}: confirm`}>
      <button
        type="button"
        class="danger small"
        disabled={busy}
        autoFocus
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirm}
      </button>
      <button type="button" class="secondary small" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
