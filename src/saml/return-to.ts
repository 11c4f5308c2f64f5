const PROBE_ORIGIN = 'https://roster.invalid';

/**
 * The path to send the browser to after sign-in, or null when `value` is not a same-origin relative path.
 * Refused: anything not starting with a single `/` (schemes, `//host`, `/\host`, which browsers read as
 * `//host`), backslashes, whitespace and control characters (browsers strip tabs and newlines, turning
 * `/\t/evil.test` into `//evil.test`), and anything that still resolves to another origin.
 */
export function safeReturnPath(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return null;
  if (value[0] !== '/' || value[1] === '/' || value[1] === '\\') return null;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (/[\\\s\x00-\x1f\x7f]/.test(value)) return null;
  let resolved: URL;
  try {
    resolved = new URL(value, PROBE_ORIGIN);
  } catch {
    return null;
  }
  return resolved.origin === PROBE_ORIGIN ? value : null;
}
