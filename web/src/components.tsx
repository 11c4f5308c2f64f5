import { useCallback, useEffect, useId, useRef, useState, type ReactNode, type MouseEvent } from 'react';
import { ApiError, graphql, type Operation } from './api/client';
import { navigate } from './router';

// --- Data ---

export interface QueryState<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  /** Fetches again; resolves once the new data (or error) is on screen. */
  reload(): Promise<void>;
}

/**
 * Runs a GraphQL query whenever its variables change. The previous data stays on screen while a new page
 * or filter loads, so lists do not flash empty; only the answer to the latest request is shown.
 */
export function useQuery<TData, TVariables extends object>(
  op: Operation<TData, TVariables>,
  variables: TVariables,
  options: { skip?: boolean } = {},
): QueryState<TData> {
  const key = JSON.stringify(variables);
  const skip = Boolean(options.skip);
  const [state, setState] = useState<{ data: TData | null; error: ApiError | null; loading: boolean }>({
    data: null,
    error: null,
    loading: !skip,
  });
  const latest = useRef(0);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const fetchNow = useCallback(async () => {
    const request = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await graphql(op, JSON.parse(key) as TVariables);
      if (mounted.current && request === latest.current) setState({ data, error: null, loading: false });
    } catch (error) {
      if (mounted.current && request === latest.current) {
        setState((s) => ({ data: s.data, error: asApiError(error), loading: false }));
      }
    }
  }, [op, key]);

  useEffect(() => {
    if (!skip) void fetchNow();
  }, [fetchNow, skip]);

  return { ...state, reload: fetchNow };
}

export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(error instanceof Error ? error.message : String(error), 'ERROR');
}

/** A mutation's running state and last error, for buttons and forms. */
export function useMutation() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = useCallback(async <T,>(work: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await work();
    } catch (e) {
      setError(asApiError(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, clearError: () => setError(null) };
}

// --- Feedback ---

export function ErrorNote({ error, title }: { error: ApiError | null; title?: string }) {
  if (!error) return null;
  return (
    <div className="note note-error" role="alert">
      {title && <strong>{title} </strong>}
      {error.message}
      {error.code !== 'ERROR' && error.code !== 'NETWORK' && <span className="code"> ({error.code})</span>}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" /> {label}
    </p>
  );
}

export function Badge({ tone, children }: { tone: 'ok' | 'warn' | 'bad' | 'neutral' | 'info'; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

// --- Navigation ---

export function Link({
  to,
  children,
  className,
  ...rest
}: { to: string; children: ReactNode; className?: string } & Record<string, unknown>) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} className={className} {...rest}>
      {children}
    </a>
  );
}

// --- Controls ---

/** A value an administrator pastes into the identity provider, with a Copy button. */
export function CopyField({ label, value, hint }: { label: string; value: string; hint?: ReactNode }) {
  const id = useId();
  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      {hint && <p className="hint">{hint}</p>}
      <div className="copy-row">
        <input id={id} className="mono" readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
        <CopyButton value={value} label={`Copy ${label}`} />
      </div>
    </div>
  );
}

export function CopyButton({ value, label = 'Copy' }: { value: string; label?: string }) {
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (status === 'idle') return;
    const timer = setTimeout(() => setStatus('idle'), 2500);
    return () => clearTimeout(timer);
  }, [status]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setStatus('copied');
    } catch {
      setStatus('failed');
    }
  };
  return (
    <>
      <button type="button" className="button" onClick={copy} aria-label={label}>
        {status === 'copied' ? 'Copied' : 'Copy'}
      </button>
      <span className="visually-hidden" role="status" aria-live="polite">
        {status === 'copied'
          ? 'Copied to the clipboard'
          : status === 'failed'
            ? 'Copy failed: select the text and copy it'
            : ''}
      </span>
      {status === 'failed' && <span className="hint inline">Copy failed: select the text and copy it.</span>}
    </>
  );
}

/** An on/off setting, as a labelled checkbox with the switch role. */
export function Switch({
  label,
  description,
  checked,
  onChange,
  disabled,
}: {
  label: string;
  description?: string;
  checked: boolean;
  onChange(checked: boolean): void;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <div className="switch-row">
      <input
        id={id}
        type="checkbox"
        role="switch"
        className="switch"
        checked={checked}
        disabled={disabled}
        aria-describedby={description ? `${id}-description` : undefined}
        onChange={(e) => onChange(e.currentTarget.checked)}
      />
      <div>
        <label htmlFor={id}>{label}</label>
        {description && (
          <p className="hint" id={`${id}-description`}>
            {description}
          </p>
        )}
      </div>
    </div>
  );
}

/**
 * A modal dialog on the native <dialog> element: it traps focus, closes with Escape, and returns focus
 * to the control that opened it.
 */
export function Modal({
  title,
  open,
  onClose,
  children,
  footer,
}: {
  title: string;
  open: boolean;
  onClose(): void;
  children: ReactNode;
  footer?: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="modal"
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {open && (
        <>
          <h2 id={titleId}>{title}</h2>
          <div className="modal-body">{children}</div>
          {footer && <div className="modal-footer">{footer}</div>}
        </>
      )}
    </dialog>
  );
}

/**
 * A destructive action behind a confirmation dialog. `onConfirm` throws to keep the dialog open and
 * show the API's message in it.
 */
export function ConfirmButton({
  label,
  title,
  message,
  confirmLabel,
  onConfirm,
  className = 'button button-danger',
  accessibleLabel,
}: {
  label: string;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  onConfirm(): Promise<unknown>;
  className?: string;
  accessibleLabel?: string;
}) {
  const [open, setOpen] = useState(false);
  const action = useMutation();
  const close = () => {
    setOpen(false);
    action.clearError();
  };
  return (
    <>
      <button type="button" className={className} onClick={() => setOpen(true)} aria-label={accessibleLabel}>
        {label}
      </button>
      <Modal
        title={title}
        open={open}
        onClose={close}
        footer={
          <>
            <button type="button" className="button" onClick={close} autoFocus>
              Cancel
            </button>
            <button
              type="button"
              className="button button-danger"
              disabled={action.busy}
              onClick={async () => {
                const done = await action.run(async () => {
                  await onConfirm();
                  return true;
                });
                if (done) setOpen(false);
              }}
            >
              {action.busy ? 'Working…' : confirmLabel}
            </button>
          </>
        }
      >
        {message}
        <ErrorNote error={action.error} />
      </Modal>
    </>
  );
}

// --- Lists ---

/**
 * Cursor paging for a connection: remembers the cursors of the pages seen so far, so Previous works
 * without the API paging backwards.
 */
export function usePager(resetKey: string) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  useEffect(() => setCursors([null]), [resetKey]);
  const after = cursors[cursors.length - 1] ?? null;
  return {
    after,
    pageNumber: cursors.length,
    next: (endCursor: string | null) => endCursor && setCursors((c) => [...c, endCursor]),
    previous: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
  };
}

export function Pager({
  label,
  pager,
  pageInfo,
  pageSize,
  shown,
  totalCount,
}: {
  label: string;
  pager: ReturnType<typeof usePager>;
  pageInfo: { endCursor: string | null; hasNextPage: boolean } | undefined;
  pageSize: number;
  shown: number;
  totalCount: number | undefined;
}) {
  const start = (pager.pageNumber - 1) * pageSize;
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <span role="status">
        {totalCount === undefined
          ? ''
          : totalCount === 0
            ? 'None'
            : `${shown === 0 ? 0 : start + 1}–${start + shown} of ${totalCount}`}
      </span>
      <button type="button" className="button" disabled={pager.pageNumber <= 1} onClick={pager.previous}>
        Previous
      </button>
      <button
        type="button"
        className="button"
        disabled={!pageInfo?.hasNextPage}
        onClick={() => pager.next(pageInfo?.endCursor ?? null)}
      >
        Next
      </button>
    </nav>
  );
}

// --- Formatting ---

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function formatDateTime(value: string | null | undefined): string {
  return value ? dateTime.format(new Date(value)) : '—';
}

export function formatDate(value: string | null | undefined): string {
  return value ? dateOnly.format(new Date(value)) : '—';
}

export function Time({ value, dateOnly: onlyDate }: { value: string | null | undefined; dateOnly?: boolean }) {
  if (!value) return <span>—</span>;
  return (
    <time dateTime={value} title={new Date(value).toISOString()}>
      {onlyDate ? formatDate(value) : formatDateTime(value)}
    </time>
  );
}

export function daysUntil(value: string): number {
  return Math.floor((new Date(value).getTime() - Date.now()) / 86_400_000);
}
