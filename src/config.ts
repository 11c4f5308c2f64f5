import path from 'node:path';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  host: string;
  /** Absolute origin Roster is reached at, without a trailing slash; SAML URLs and SCIM meta.location use it. */
  publicUrl: string;
  /** PostgreSQL connection string; absent means the embedded database in `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  /** Connections to PostgreSQL per process (the embedded database always has one). */
  databasePoolMax: number;
  /** Prepare the request path's statements on each connection (off behind a transaction-mode pooler). */
  databasePreparedStatements: boolean;
  platformToken?: string;
  sessionSecret: string;
  logLevel: LogLevel;
  /** SCIM requests one token may make per minute before it is answered 429. */
  scimRateLimitPerMinute: number;
  /** Session lifetimes, in seconds. */
  sessionIdleSeconds: number;
  sessionAbsoluteSeconds: number;
}

/** A configuration problem, reported at start-up as one line that names the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function boolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'on', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'off', 'no'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${env[name]}"`);
}

function url(name: string, raw: string, protocols: string[]): URL {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `is not a valid URL: "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  return parsed;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST?.trim() || '0.0.0.0';

  const publicUrlRaw = env.PUBLIC_URL?.trim() || `http://localhost:${port || 3000}`;
  const publicUrl = url('PUBLIC_URL', publicUrlRaw, ['http:', 'https:']);
  if (publicUrl.pathname !== '/' || publicUrl.search || publicUrl.hash) {
    throw new ConfigError('PUBLIC_URL', 'must be an origin only (scheme, host and port), with no path');
  }

  let databaseUrl: string | undefined;
  if (env.DATABASE_URL?.trim()) {
    databaseUrl = url('DATABASE_URL', env.DATABASE_URL.trim(), ['postgres:', 'postgresql:']).toString();
  }

  const platformToken = env.ROSTER_PLATFORM_TOKEN?.trim() || undefined;
  if (platformToken !== undefined && platformToken.length < 24) {
    throw new ConfigError('ROSTER_PLATFORM_TOKEN', 'must be at least 24 characters long');
  }

  const sessionSecret = env.ROSTER_SESSION_SECRET?.trim() || '';
  if (sessionSecret && sessionSecret.length < 32) {
    throw new ConfigError('ROSTER_SESSION_SECRET', 'must be at least 32 characters long');
  }

  const logLevel = (env.LOG_LEVEL?.trim().toLowerCase() || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }

  return {
    port,
    host,
    publicUrl: publicUrl.origin,
    databaseUrl,
    dataDir: path.resolve(env.ROSTER_DATA_DIR?.trim() || '.data'),
    // An IdP pushes with ~16 requests in flight; a write holds its connection through the commit's WAL flush.
    databasePoolMax: integer(env, 'ROSTER_DB_POOL_MAX', 20, 1, 500),
    databasePreparedStatements: boolean(env, 'ROSTER_DB_PREPARED_STATEMENTS', true),
    platformToken,
    // Sessions are server-side records with random ids; the secret only keys the hash under which an id
    // is stored, so that a copy of the sessions table alone is useless. Optional: empty is a valid key.
    sessionSecret,
    logLevel,
    scimRateLimitPerMinute: integer(env, 'ROSTER_SCIM_RATE_LIMIT', 12_000, 1, 10_000_000),
    sessionIdleSeconds: integer(env, 'ROSTER_SESSION_IDLE_SECONDS', 8 * 3600, 60, 30 * 86400),
    sessionAbsoluteSeconds: integer(env, 'ROSTER_SESSION_ABSOLUTE_SECONDS', 7 * 86400, 60, 365 * 86400),
  };
}
