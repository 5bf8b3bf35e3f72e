import { CHAIN_PARAMS, Network } from '../../../biblepay/network';
import { formatHashrate, formatShortUtc, formatUtc } from '../format';
import { PoolStatistics } from '../pool-stats.service';
import { Html, html } from './html';
import { layout } from './layout';
import { chart, ChartSpec, coins, minerLink, status, table, tile } from './page-parts';

export function statisticsPage(networks: readonly Network[], s: PoolStatistics): Html {
  const n = s.network;
  const spec: ChartSpec = {
    type: 'bar',
    labels: s.days.map((d) => d.day.slice(5)),
    datasets: [
      {
        label: 'Accepted shares',
        data: s.days.map((d) => d.shares),
        backgroundColor: '#8fb3de',
        yAxisID: 'y',
      },
      {
        label: 'Pool blocks',
        type: 'line',
        data: s.days.map((d) => d.poolBlocks),
        borderColor: '#c98a00',
        backgroundColor: '#c98a00',
        yAxisID: 'y2',
      },
    ],
  };
  return layout(
    { title: 'Statistics', network: n, networks, active: 'statistics', charts: true },
    html`<h1>Pool statistics</h1>
      <div class="tiles">
        ${tile('Chain height', s.currentHeight ?? '—', 'current-height')}
        ${tile('Blocks (24 h)', s.last24h.allBlocks, 'all-blocks')}
        ${tile('Pool blocks (24 h)', `${s.last24h.poolBlocks} (${s.last24h.poolBlocksPercent} %)`, 'pool-blocks')}
        ${tile('Mined (24 h)', coins(n, s.last24h.coinsMined), 'coins-mined')}
        ${tile('Active miners (24 h)', s.activeMiners, 'active-miners')}
        ${tile('Pool hashrate', formatHashrate(s.hashrate.hashesPerSecond), 'pool-hashrate')}
        ${tile('Forecast blocks today', s.forecastBlocksToday, 'forecast')}
      </div>
      <section class="card">
        <h2 style="margin-top:0">Last 7 days</h2>
        ${chart('pool-chart', 'Accepted shares and pool blocks per day, last 7 days', spec)}
      </section>
      <div class="grid2">
        <section>
          <h2>Top miners (24 h)</h2>
          ${table(
            html`<tr>
              <th>#</th>
              <th>Miner</th>
              <th class="num">Shares</th>
              <th class="num">%</th>
            </tr>`,
            s.topMiners.map(
              (m, i) =>
                html`<tr>
                  <td>${i + 1}</td>
                  <td>${minerLink(n, m.address)}</td>
                  <td class="num">${m.shares}</td>
                  <td class="num">${m.sharePercent}</td>
                </tr>`,
            ),
            'No shares in the last 24 hours.',
          )}
        </section>
        <section>
          <h2>Last ${s.lastBlocks.length || ''} pool blocks</h2>
          <div id="last-blocks">
            ${table(
              html`<tr>
                <th>Height</th>
                <th>Time</th>
                <th class="num">Subsidy</th>
                <th>Status</th>
              </tr>`,
              s.lastBlocks.map(
                (b) =>
                  html`<tr>
                    <td>${b.height}</td>
                    <td class="time">${formatShortUtc(b.chainTime)}</td>
                    <td class="num">${coins(n, b.subsidy)}</td>
                    <td>
                      ${status(
                        b.displayStatus,
                        b.displayStatus === 'pending'
                          ? `pending (${b.confirmations}/${CHAIN_PARAMS[n].coinbaseMaturity})`
                          : b.displayStatus,
                      )}
                    </td>
                  </tr>`,
              ),
              'The pool has not found a block yet.',
            )}
          </div>
          <p class="muted">
            pending: not yet mature · mature: ready to be shared · credited: split over the miners ·
            paid: every miner's share of it has been sent · orphaned: no longer on the chain.
          </p>
        </section>
      </div>
      <p class="muted">As of ${formatUtc(s.generatedAt)}.</p>`,
  );
}
