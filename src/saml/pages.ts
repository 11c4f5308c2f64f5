import type { Context } from 'koa';

const escapeHtml = (value: string) =>
  value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

export interface PageContent {
  title: string;
  /** What happened, for the person in front of the browser. */
  lead: string;
  /** For the IT administrator: what is wrong and what to change. */
  detail?: string;
  reason?: string;
}

/**
 * A small self-contained HTML page (no scripts, no external resources) for SAML outcomes that are not a
 * redirect. Never cached, never framed.
 */
export function sendPage(ctx: Context, status: number, page: PageContent): void {
  const reference = String(ctx.state.requestId ?? '');
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  ctx.set(
    'Content-Security-Policy',
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'none'",
  );
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.body =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(page.title)}</title>` +
    `<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:4rem auto;padding:0 1rem;line-height:1.5;color:#1f2328}` +
    `h1{font-size:1.5rem}.admin{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:1rem}code{font-size:.9em}</style></head>` +
    `<body><main><h1>${escapeHtml(page.title)}</h1><p>${escapeHtml(page.lead)}</p>` +
    (page.detail
      ? `<section class="admin"><h2 style="font-size:1rem;margin-top:0">For your IT administrator</h2><p>${escapeHtml(page.detail)}</p>` +
        `<p>${page.reason ? `Reason: <code>${escapeHtml(page.reason)}</code>. ` : ''}Reference: <code>${escapeHtml(reference)}</code>, ${new Date().toISOString()}.</p></section>`
      : '') +
    `</main></body></html>`;
}
