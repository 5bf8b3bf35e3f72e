import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FAVICON_SVG } from './favicon';
import { PUREPOOL_CSS } from './stylesheet';
import { PUREPOOL_JS } from './client-script';

export interface Asset {
  body: Buffer;
  contentType: string;
  /** Content hash: part of the URL, so a page never gets a stale asset and assets cache forever. */
  version: string;
}

/**
 * The chart library, read from the installed chart.js package (its UMD build, so the browser
 * needs no bundler), and the pool's own stylesheet and chart starter. Everything a page loads
 * comes from the pool itself: no CDN.
 */
function chartJsUmd(): Buffer {
  // chart.js's export map names no UMD file; it sits beside the CommonJS entry point.
  const entry = require.resolve('chart.js');
  return readFileSync(path.join(path.dirname(entry), 'chart.umd.min.js'));
}

function asset(body: Buffer | string, contentType: string): Asset {
  const buffer = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return {
    body: buffer,
    contentType,
    version: createHash('sha256').update(buffer).digest('hex').slice(0, 12),
  };
}

let assets: ReadonlyMap<string, Asset> | undefined;

export function webAssets(): ReadonlyMap<string, Asset> {
  assets ??= new Map([
    ['chart.umd.min.js', asset(chartJsUmd(), 'text/javascript; charset=utf-8')],
    ['purepool.js', asset(PUREPOOL_JS, 'text/javascript; charset=utf-8')],
    ['purepool.css', asset(PUREPOOL_CSS, 'text/css; charset=utf-8')],
    ['favicon.svg', asset(FAVICON_SVG, 'image/svg+xml')],
  ]);
  return assets;
}

export function assetUrl(name: string): string {
  const found = webAssets().get(name);
  if (!found) throw new Error(`no web asset ${name}`);
  return `/assets/${name}?v=${found.version}`;
}
