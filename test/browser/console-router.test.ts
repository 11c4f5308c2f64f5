import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { consoleRouter } from '../../src/http/console';

/** Serves the console router alone, over a build folder the test makes (or none). */
async function serve(distDir: string) {
  const koa = new Koa();
  const router = consoleRouter({ distDir });
  koa.use(router.routes());
  koa.use(router.allowedMethods());
  const server = http.createServer(koa.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('console router (/admin)', () => {
  let dist: string;
  let app: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-console-'));
    fs.mkdirSync(path.join(dist, 'assets'));
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>console</title>');
    fs.writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    fs.writeFileSync(path.join(dist, 'robots.txt'), 'User-agent: *');
    fs.writeFileSync(path.join(path.dirname(dist), 'secret-beside-dist.txt'), 'TOP-SECRET-CONTENT');
    app = await serve(dist);
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  it('redirects /admin to /admin/ and serves index.html there, revalidated on every visit', async () => {
    const redirect = await fetch(`${app.url}/admin?x=1`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/admin/?x=1');
    const index = await fetch(`${app.url}/admin/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await index.text()).toContain('<title>console</title>');
  });

  it('answers client routes such as /admin/groups/<id> with index.html', async () => {
    for (const page of ['/admin/sso', '/admin/groups/7d1e', '/admin/users/', '/admin/log?action=user']) {
      const response = await fetch(`${app.url}${page}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<title>console</title>');
    }
  });

  it('serves hashed assets as immutable, with working conditional requests', async () => {
    const asset = await fetch(`${app.url}/admin/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await asset.text()).toBe('console.log(1)');
    // node:http, because fetch adds "cache-control: no-cache" to conditional requests.
    const status = await new Promise<number | undefined>((resolve, reject) =>
      http
        .get(
          `${app.url}/admin/assets/index-abc123.js`,
          { headers: { 'if-none-match': asset.headers.get('etag')! } },
          (res) => {
            res.resume();
            resolve(res.statusCode);
          },
        )
        .on('error', reject),
    );
    expect(status).toBe(304);
    const other = await fetch(`${app.url}/admin/robots.txt`);
    expect(other.headers.get('cache-control')).toBe('public, max-age=3600');
  });

  it('answers 404 (not the app) for a missing asset, and never serves files outside the build', async () => {
    expect((await fetch(`${app.url}/admin/assets/index-old.js`)).status).toBe(404);
    expect((await fetch(`${app.url}/admin/favicon.png`)).status).toBe(404);
    for (const escape of ['/admin/%2e%2e/secret-beside-dist.txt', '/admin/..%2fsecret-beside-dist.txt', '/admin/%ff']) {
      const response = await fetch(`${app.url}${escape}`);
      expect(await response.text()).not.toContain('TOP-SECRET-CONTENT');
      expect([200, 404]).toContain(response.status);
    }
  });

  it('leaves other paths alone', async () => {
    expect((await fetch(`${app.url}/administrator`)).status).toBe(404);
    expect((await fetch(`${app.url}/graphql`)).status).toBe(404);
  });

  it('answers 503 with build instructions when the console is not built', async () => {
    const missing = await serve(path.join(dist, 'does-not-exist'));
    try {
      const response = await fetch(`${missing.url}/admin/users`);
      expect(response.status).toBe(503);
      const text = await response.text();
      expect(text).toContain('Admin console not built');
      expect(text).toContain('npm run build --prefix web');
    } finally {
      await missing.close();
    }
  });
});
