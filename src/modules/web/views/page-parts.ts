/** Pieces every public page is made of: tiles, amounts, links, status badges, charts, tables. */
import { Network } from '../../../biblepay/network';
import { formatCoins } from '../format';
import { Html, html, HtmlValue, jsonForScript } from './html';

export const COIN: Record<Network, string> = { main: 'BBP', test: 'tBBP' };

export function tile(label: string, value: HtmlValue, id?: string): Html {
  return html`<div class="tile" ${id ? html` id="${id}"` : ''}>
    <div class="label">${label}</div>
    <div class="value">${value}</div>
  </div>`;
}

export function coins(network: Network, units: bigint): string {
  return `${formatCoins(units)} ${COIN[network]}`;
}

export function minerLink(network: Network, address: string): Html {
  return html`<a class="mono" href="/${network}/miner/${address}/">${address}</a>`;
}

export function status(name: string, label = name): Html {
  return html`<span class="status status-${name}">${label}</span>`;
}

/** A canvas drawn by /assets/purepool.js from the JSON beside it. */
export function chart(id: string, label: string, spec: ChartSpec): Html {
  return html`<div class="chart">
      <canvas id="${id}" data-chart="${id}-data" role="img" aria-label="${label}"></canvas>
    </div>
    <script type="application/json" id="${id}-data">
      ${jsonForScript(spec)}
    </script>`;
}

export interface ChartSpec {
  type: 'bar' | 'line';
  labels: string[];
  datasets: {
    label: string;
    data: number[];
    type?: 'bar' | 'line';
    yAxisID?: 'y' | 'y2';
    backgroundColor?: string;
    borderColor?: string;
  }[];
}

export function table(head: Html, rows: Html[], empty: string): Html {
  if (rows.length === 0) return html`<p class="muted">${empty}</p>`;
  return html`<div class="table-wrap">
    <table>
      <thead>
        ${head}
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </div>`;
}
