import { useCallback, useEffect, useState } from 'react';

/**
 * A small history router for the console's handful of pages: paths under the Vite base (/admin/), and
 * query strings for filters, so that a page can be reloaded, bookmarked or linked from another page.
 */
const BASE = import.meta.env.BASE_URL.replace(/\/$/, ''); // "/admin"

export interface Location {
  /** The path inside the console, e.g. "/groups/123" */
  path: string;
  query: URLSearchParams;
}

function current(): Location {
  const raw = window.location.pathname.startsWith(BASE) ? window.location.pathname.slice(BASE.length) : '/';
  return { path: raw.replace(/\/+$/, '') || '/', query: new URLSearchParams(window.location.search) };
}

const listeners = new Set<() => void>();

export function href(path: string, query?: Record<string, string | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) if (value) params.set(name, value);
  const search = params.toString();
  return `${BASE}${path}${search ? `?${search}` : ''}`;
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  listeners.forEach((listener) => listener());
  if (!options.replace) window.scrollTo(0, 0);
}

export function useLocation(): Location {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const update = () => setLocation(current());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return location;
}

/** Updates the query string of the current page in place (filters), without adding history entries. */
export function useQueryState(): [URLSearchParams, (changes: Record<string, string | null>) => void] {
  const { path, query } = useLocation();
  const update = useCallback(
    (changes: Record<string, string | null>) => {
      const next = new URLSearchParams(query);
      for (const [name, value] of Object.entries(changes)) {
        if (value) next.set(name, value);
        else next.delete(name);
      }
      const search = next.toString();
      navigate(`${BASE}${path === '/' ? '' : path}${search ? `?${search}` : ''}`, { replace: true });
    },
    [path, query],
  );
  return [query, update];
}
