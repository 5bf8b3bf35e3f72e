import { Html, html, HtmlValue, raw } from '../../web/views/html';

export interface AdminFrame {
  title: string;
  /** The signed-in operator (token label); absent on the sign-in page. */
  actor?: string;
  /** The session's form token, put in every form that changes something. */
  csrf?: string;
  active?: 'overview' | 'search' | 'blocks' | 'payments' | 'problems' | 'reports' | 'actions';
}

const NAV: { key: NonNullable<AdminFrame['active']>; label: string; path: string }[] = [
  { key: 'overview', label: 'Overview', path: '/admin' },
  { key: 'blocks', label: 'Blocks', path: '/admin/blocks' },
  { key: 'payments', label: 'Payments', path: '/admin/payments' },
  { key: 'problems', label: 'Open problems', path: '/admin/problems' },
  { key: 'reports', label: 'Reports & dry runs', path: '/admin/reports' },
  { key: 'actions', label: 'Audit trail', path: '/admin/actions' },
];

/** No scripts at all: confirmations are a server-side step, so the console works without JS. */
export const ADMIN_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; " +
  "base-uri 'none'; frame-ancestors 'none'";

const STYLE = raw(`
  body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d2430;background:#f4f6f9}
  header{background:#1f2a3a;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:1rem;align-items:center}
  header a{color:#dbe6f5;text-decoration:none} header a[aria-current]{color:#fff;font-weight:600;text-decoration:underline}
  header .brand{font-weight:700;color:#fff} header form{margin-left:auto;display:flex;gap:.5rem;align-items:center}
  main{max-width:1200px;margin:1rem auto;padding:0 1rem}
  section{background:#fff;border:1px solid #d9dee7;border-radius:6px;padding:.8rem 1rem;margin:0 0 1rem}
  h1{font-size:1.4rem;margin:.4rem 0 1rem} h2{font-size:1.1rem;margin:.2rem 0 .6rem}
  table{border-collapse:collapse;width:100%;font-size:.9rem} th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e6e9ef;vertical-align:top}
  td.num,th.num{text-align:right;font-variant-numeric:tabular-nums} code{font-size:.85em;word-break:break-all}
  .bad{color:#a11d1d} .ok{color:#16703a} .muted{color:#667085} .notice{padding:.5rem .8rem;border-radius:4px;background:#fff4e5;border:1px solid #f2c98a}
  .notice.bad{background:#fdecec;border-color:#f1a9a9} .notice.ok{background:#eaf7ef;border-color:#a6d9b8}
  form.inline{display:inline} label{display:block;margin:.3rem 0} input[type=text],input[type=password],input[type=search]{padding:.35rem;border:1px solid #b9c2d0;border-radius:4px;min-width:18rem}
  button{padding:.35rem .8rem;border-radius:4px;border:1px solid #4068a8;background:#4068a8;color:#fff;cursor:pointer}
  button.danger{background:#a11d1d;border-color:#a11d1d} button.plain{background:#fff;color:#1f2a3a;border-color:#b9c2d0}
  dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0} dt{color:#667085}
`);

export function csrfField(csrf: string | undefined): Html {
  return csrf ? html`<input type="hidden" name="_csrf" value="${csrf}" />` : html``;
}

export function adminLayout(frame: AdminFrame, body: HtmlValue): Html {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <link rel="icon" href="data:," />
        <title>${frame.title} · Purepool console</title>
        <style>
          ${STYLE}
        </style>
      </head>
      <body>
        <header>
          <a class="brand" href="/admin">Purepool console</a>
          ${
            frame.actor
              ? html`<nav aria-label="Console">
                    ${NAV.map(
                      (item) =>
                        html`<a
                          href="${item.path}"
                          ${frame.active === item.key ? html`aria-current="page"` : ''}
                          >${item.label}</a
                        > `,
                    )}
                  </nav>
                  <form method="get" action="/admin/search" role="search">
                    <input
                      type="search"
                      name="q"
                      placeholder="address, GUID, worker, height, hash, txid"
                      aria-label="Search"
                    />
                    <button class="plain" type="submit">Search</button>
                  </form>
                  <form method="post" action="/admin/logout">
                    <span>${frame.actor}</span>${csrfField(frame.csrf)}
                    <button class="plain" type="submit">Sign out</button>
                  </form>`
              : ''
          }
        </header>
        <main>
          <h1>${frame.title}</h1>
          ${body}
        </main>
      </body>
    </html>`;
}
