import { Network } from '../../../biblepay/network';
import { assetUrl } from '../assets/assets';
import { Html, html, HtmlValue } from './html';

export interface PageFrame {
  title: string;
  /** The network the page is about; null on pages outside one (404 of an unknown network). */
  network: Network | null;
  networks: readonly Network[];
  /** Which nav entry is the current page. */
  active?: 'index' | 'statistics' | 'howtojoin' | 'miner';
  /** Adds the chart library and the chart starter. */
  charts?: boolean;
}

const NAV: { key: NonNullable<PageFrame['active']>; label: string; path: string }[] = [
  { key: 'index', label: 'Pool', path: '' },
  { key: 'statistics', label: 'Statistics', path: 'statistics' },
  { key: 'howtojoin', label: 'How to join', path: 'howtojoin/' },
];

export function networkLabel(network: Network): string {
  return network === 'main' ? 'Mainnet' : 'Testnet';
}

/** The frame every page shares: viewport for phones, the pool's own CSS, nav and network switch. */
export function layout(frame: PageFrame, body: HtmlValue): Html {
  const network = frame.network;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${frame.title} · Purepool${network ? ` (${network})` : ''}</title>
        <link rel="stylesheet" href="${assetUrl('purepool.css')}" />
        <link rel="icon" href="${assetUrl('favicon.svg')}" type="image/svg+xml" />
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/${network ?? ''}${network ? '/' : ''}"
            >Purepool<span> BiblePay mining pool</span></a
          >
          ${
            network
              ? html`<nav aria-label="Pages">
                  ${NAV.map(
                    (item) =>
                      html`<a
                        href="/${network}/${item.path}"
                        ${frame.active === item.key ? html` aria-current="page"` : ''}
                        >${item.label}</a
                      >`,
                  )}
                  <a href="/api/docs">API</a>
                </nav>`
              : ''
          }
          ${
            frame.networks.length > 1
              ? html`<nav class="networks" aria-label="Networks">
                  ${frame.networks.map(
                    (n) =>
                      html`<a href="/${n}/" ${n === network ? html` aria-current="true"` : ''}
                        >${networkLabel(n)}</a
                      >`,
                  )}
                </nav>`
              : ''
          }
        </header>
        <main>${body}</main>
        <footer>Purepool · pages are refreshed about once a minute · times in UTC</footer>
        ${
          frame.charts
            ? html`<script src="${assetUrl('chart.umd.min.js')}"></script>
                <script src="${assetUrl('purepool.js')}"></script>`
            : ''
        }
      </body>
    </html> `;
}
