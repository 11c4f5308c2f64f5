import fs from 'node:fs';
import path from 'node:path';
import Router from '@koa/router';
import type { Context } from 'koa';

/**
 * Serves the admin console (the React app in web/, built to web/dist by `npm run build --prefix web`) at
 * /admin. Client-side pages (/admin/groups/...) get index.html; hashed assets are cached for a year;
 * without a build, every console address answers 503 with a page that says how to build it.
 * Only node:fs and node:path, so that the server gains no dependency for this.
 */
export interface ConsoleOptions {
  /** The built console; default: web/dist of the repository (or image) this server runs from. */
  distDir?: string;
}

const MOUNT = '/admin';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/** Vite puts content-hashed files under assets/: their content never changes under a name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html names the current hashed assets, so browsers must revalidate it on every visit. */
const REVALIDATE = 'no-cache';
const SHORT = 'public, max-age=3600';

/**
 * The console talks only to its own origin; nothing may frame it (clickjacking of Revoke or Deactivate),
 * and it runs no inline script.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

/** The repository root (or the image's app folder): the nearest folder above this file with a package.json. */
function defaultDistDir(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'web', 'dist');
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve('web', 'dist');
    dir = parent;
  }
}

export function consoleRouter(options: ConsoleOptions = {}): Router {
  const distDir = path.resolve(options.distDir ?? defaultDistDir());
  const router = new Router();

  router.get(MOUNT, async (ctx, next) => {
    // The router also matches "/admin/" here (trailing slashes are optional): leave that to the route below.
    if (ctx.path !== MOUNT) return next();
    // One canonical address, so that relative links and the Vite base (/admin/) agree.
    ctx.status = 301;
    ctx.redirect(`${MOUNT}/${ctx.querystring ? `?${ctx.querystring}` : ''}`);
  });

  router.get(`${MOUNT}/{*rest}`, async (ctx) => {
    secureHeaders(ctx);
    const indexFile = path.join(distDir, 'index.html');
    const index = await statFile(indexFile);
    if (!index) {
      unavailable(ctx);
      return;
    }

    const relative = requestedPath(ctx.path.slice(MOUNT.length + 1));
    if (relative === null) {
      notFound(ctx, 'This address is not a valid console path.');
      return;
    }
    if (relative !== '') {
      const file = path.join(distDir, relative);
      // Only files inside the build, never a path that climbs out of it.
      if (file.startsWith(distDir + path.sep)) {
        const stat = await statFile(file);
        if (stat) {
          await sendFile(ctx, file, stat, relative.startsWith('assets/') ? IMMUTABLE : SHORT);
          return;
        }
      }
      // A missing asset is a 404 (a stale tab asking for an old hash), not the app's HTML.
      if (path.extname(relative) !== '' || relative.startsWith('assets/')) {
        notFound(ctx, `No console file at ${ctx.path}.`);
        return;
      }
    }
    // Every other path is a page of the console: the app reads the path and shows it (or its own 404).
    await sendFile(ctx, indexFile, index, REVALIDATE);
  });

  return router;
}

/** The path under /admin/, decoded and normalised; null when it cannot name a file. */
function requestedPath(raw: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const normalised = path.posix.normalize(`/${decoded}`).slice(1);
  if (normalised.startsWith('..')) return null;
  return normalised.replace(/\/+$/, '');
}

async function statFile(file: string): Promise<fs.Stats | null> {
  try {
    const stat = await fs.promises.stat(file);
    return stat.isFile() ? stat : null;
  } catch {
    return null;
  }
}

async function sendFile(ctx: Context, file: string, stat: fs.Stats, cacheControl: string): Promise<void> {
  ctx.set('Cache-Control', cacheControl);
  ctx.lastModified = stat.mtime;
  ctx.etag = `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
  ctx.status = 200;
  if (ctx.fresh) {
    ctx.status = 304;
    return;
  }
  ctx.type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  ctx.length = stat.size;
  ctx.body = ctx.method === 'HEAD' ? null : fs.createReadStream(file);
}

function secureHeaders(ctx: Context): void {
  ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('X-Frame-Options', 'DENY');
  ctx.set('Referrer-Policy', 'same-origin');
}

/** The plain pages below carry their own inline style, which the console's policy would block. */
const PLAIN_PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

function unavailable(ctx: Context): void {
  ctx.status = 503;
  ctx.set('Content-Security-Policy', PLAIN_PAGE_POLICY);
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Retry-After', '60');
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = page(
    'Admin console not built',
    `<p>This Roster server has no built admin console. Build it with</p>
     <pre>npm ci --prefix web
npm run build --prefix web</pre>
     <p>and reload this page. The GraphQL admin API at <code>/graphql</code> works without it.</p>`,
  );
}

function notFound(ctx: Context, message: string): void {
  ctx.status = 404;
  ctx.set('Content-Security-Policy', PLAIN_PAGE_POLICY);
  ctx.set('Cache-Control', 'no-store');
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = page('Not found', `<p>${escapeHtml(message)}</p><p><a href="${MOUNT}/">Open the admin console</a></p>`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Roster</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5">
<h1>${escapeHtml(title)}</h1>
${body}
</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
