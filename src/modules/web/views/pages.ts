import { CHAIN_PARAMS, Network } from '../../../biblepay/network';
import { formatAge, formatCoins, formatHashrate, formatShortUtc, formatUtc } from '../format';
import { MinerOverview } from '../miner-stats.service';
import { PoolStatistics, PoolSummary } from '../pool-stats.service';
import { LedgerRow } from '../web.repository';
import { Html, html, HtmlValue, jsonForScript } from './html';
import { layout, networkLabel } from './layout';

const COIN: Record<Network, string> = { main: 'BBP', test: 'tBBP' };

function tile(label: string, value: HtmlValue, id?: string): Html {
  return html`<div class="tile" ${id ? html` id="${id}"` : ''}>
    <div class="label">${label}</div>
    <div class="value">${value}</div>
  </div>`;
}

function coins(network: Network, units: bigint): string {
  return `${formatCoins(units)} ${COIN[network]}`;
}

function minerLink(network: Network, address: string): Html {
  return html`<a class="mono" href="/${network}/miner/${address}/">${address}</a>`;
}

function status(name: string, label = name): Html {
  return html`<span class="status status-${name}">${label}</span>`;
}

/** A canvas drawn by /assets/purepool.js from the JSON beside it. */
function chart(id: string, label: string, spec: ChartSpec): Html {
  return html`<div class="chart">
      <canvas id="${id}" data-chart="${id}-data" role="img" aria-label="${label}"></canvas>
    </div>
    <script type="application/json" id="${id}-data">
      ${jsonForScript(spec)}
    </script>`;
}

interface ChartSpec {
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

function table(head: Html, rows: Html[], empty: string): Html {
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

export interface SearchState {
  address: string;
  message: string;
}

export function indexPage(
  networks: readonly Network[],
  summary: PoolSummary,
  search: SearchState | null,
): Html {
  const n = summary.network;
  return layout(
    { title: 'Pool', network: n, networks, active: 'index' },
    html`<h1>BiblePay ${networkLabel(n)} pool</h1>
      <section class="card">
        <form class="search" method="get" action="/${n}/search" role="search">
          <label class="muted" for="address" style="flex-basis:100%"
            >Your BiblePay ${n} address</label
          >
          <input
            id="address"
            name="address"
            autocomplete="off"
            spellcheck="false"
            required
            maxlength="100"
            placeholder="${n === 'main' ? 'B…' : 'y…'}"
            value="${search?.address ?? ''}"
          />
          <button type="submit">Show my miner</button>
        </form>
      </section>
      ${search ? html`<p class="notice" id="search-message" role="status">${search.message}</p>` : ''}
      <div class="tiles">
        ${tile('Chain height', summary.currentHeight ?? '—')}
        ${tile('Pool blocks (24 h)', `${summary.last24h.poolBlocks} of ${summary.last24h.allBlocks}`)}
        ${tile('Pool share of blocks', `${summary.last24h.poolBlocksPercent} %`)}
        ${tile('Mined (24 h)', coins(n, summary.last24h.coinsMined))}
        ${tile('Active miners (24 h)', summary.activeMiners)}
        ${tile('Pool hashrate', formatHashrate(summary.hashrate.hashesPerSecond))}
      </div>
      <p>
        New here? <a href="/${n}/howtojoin/">How to join</a> takes two lines in your wallet's
        configuration. More numbers on the <a href="/${n}/statistics">statistics</a> page.
      </p>
      <p class="muted">
        Minimum payout ${coins(n, summary.payoutMinimum)} · pool fee ${summary.feePercent} %
      </p>`,
  );
}

export interface JoinInfo {
  network: Network;
  networks: readonly Network[];
  poolUrl: string;
  minimums: { network: Network; amount: bigint }[];
  feePercent: string;
}

export function howToJoinPage(info: JoinInfo): Html {
  const n = info.network;
  const example =
    n === 'main' ? 'BYourMainnetAddressGoesHere123456' : 'yYourTestnetAddressGoesHere123456';
  return layout(
    { title: 'How to join', network: n, networks: info.networks, active: 'howtojoin' },
    html`<h1>How to join the pool</h1>
      <section class="card">
        <h2>1. Your wallet address</h2>
        <p>
          No account, no password: the pool knows you by a BiblePay ${n} address of your own wallet.
          In the wallet, <em>Receive</em> → <em>Request payment</em> shows one; on the command line
          <code>biblepay-cli getaccountaddress ""</code>.
        </p>
        <h2>2. Edit biblepay.conf</h2>
        <p>
          Windows: <code>%appdata%\\BiblePayCore\\biblepay.conf</code>; Linux:
          <code>~/.biblepaycore/biblepay.conf</code>. Add these lines (the worker name after the
          slash tells your machines apart):
        </p>
        <pre class="config" id="wallet-config">
pool=${info.poolUrl}
workerid=ADDRESS/WORKER
gen=1
genproclimit=1</pre>
        <p>
          For example <code class="mono">workerid=${example}/kitchen-pc</code>. Raise
          <code>genproclimit</code> to the number of CPU threads the wallet may use. Restart the
          wallet; <code>getmininginfo</code> then shows <code>poolmining: true</code>.
        </p>
        <h2>3. Watch your shares</h2>
        <p>
          Enter your address on the <a href="/${n}/">pool page</a>. Shares show up within a minute.
        </p>
      </section>
      <section class="card">
        <h2>Payouts and fee</h2>
        <p>
          Each pool block is split over the miners by their shares once it has matured
          (${CHAIN_PARAMS[n].coinbaseMaturity} confirmations). Your balance is sent to your address
          automatically once it reaches the minimum:
        </p>
        <div class="table-wrap">
          <table id="payout-minimums">
            <thead>
              <tr>
                <th>Network</th>
                <th class="num">Minimum payout</th>
              </tr>
            </thead>
            <tbody>
              ${info.minimums.map(
                (m) =>
                  html`<tr>
                    <td>${networkLabel(m.network)}</td>
                    <td class="num">${coins(m.network, m.amount)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>
        <p>
          Pool fee: <strong id="pool-fee">${info.feePercent} %</strong> of each block's subsidy.
        </p>
      </section>`,
  );
}

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

function ledgerLabel(row: LedgerRow): Html {
  switch (row.category) {
    case 'share':
      return html`Block ${row.blockHeight ?? '?'}`;
    case 'payout':
      return html`Payout
      ${row.paymentStatus && row.paymentStatus !== 'sent' && !row.txid ? status(row.paymentStatus) : ''}`;
    case 'payout_refund':
      return html`Payout returned`;
    case 'refund_reversal':
      return html`Return cancelled: the payout was sent after all`;
    case 'reversal':
      return html`Block ${row.blockHeight ?? '?'} reversed (orphaned after it was credited)`;
    case 'adjustment':
      return html`Adjustment by the pool: ${row.note ?? ''}`;
  }
}

export function minerPage(
  networks: readonly Network[],
  o: MinerOverview,
  minimumPayout: bigint,
  now: Date,
): Html {
  const n = o.miner.network as Network;
  const spec: ChartSpec = {
    type: 'bar',
    labels: o.days.map((d) => d.day.slice(5)),
    datasets: [
      { label: 'Accepted shares', data: o.days.map((d) => d.shares), backgroundColor: '#8fb3de' },
    ],
  };
  return layout(
    { title: `Miner ${o.miner.address}`, network: n, networks, active: 'miner', charts: true },
    html`<h1>Miner <span class="mono" id="miner-address">${o.miner.address}</span></h1>
      ${o.miner.disabled ? html`<p class="notice bad">This miner is disabled: the pool refuses its work requests.</p>` : ''}
      ${
        o.payoutSetAside
          ? html`<p class="notice bad" id="payout-set-aside">
              Payouts to this address are set aside since ${formatShortUtc(o.payoutSetAside.since)}
              after ${o.payoutSetAside.failures} failed payments (${o.payoutSetAside.lastError}).
              Your balance is kept; the pool operator pays it once the cause is fixed.
            </p>`
          : ''
      }
      ${o.reversals.map(
        (r) =>
          html`<p class="notice bad reversal">
            Block ${r.height} was orphaned by a chain reorganisation after it had been shared out:
            ${coins(n, r.reversed)} of its ${coins(n, r.credited)} credit was taken back from your
            balance${r.loss > 0n ? html`; the ${coins(n, r.loss)} already paid to you stays yours (the pool bears it)` : ''}.
          </p>`,
      )}
      <div class="tiles">
        ${tile('Balance', coins(n, o.money.balance), 'balance')}
        ${tile('Total paid', coins(n, o.money.paid), 'total-paid')}
        ${o.money.pendingPayout > 0n ? tile('Payout being sent', coins(n, o.money.pendingPayout), 'pending-payout') : ''}
        ${tile('Shares (24 h)', o.shares24h, 'shares-24h')}
        ${tile('Hashrate', formatHashrate(o.hashesPerSecond), 'hashrate')}
        ${tile('Last share', o.lastShareAt ? formatAge(o.lastShareAt, now) : 'never', 'last-share')}
      </div>
      <section class="card">
        <h2 style="margin-top:0">Accepted shares, last 7 days</h2>
        ${chart('miner-chart', 'Accepted shares per day, last 7 days', spec)}
      </section>
      <div class="grid2">
        <section>
          <h2>Active workers (24 h)</h2>
          <div id="workers">
            ${table(
              html`<tr>
                <th>Worker</th>
                <th class="num">Shares</th>
                <th class="num">Hashrate</th>
                <th>Last share</th>
              </tr>`,
              o.workers.map(
                (w) =>
                  html`<tr>
                    <td>${w.name}</td>
                    <td class="num">${w.shares}</td>
                    <td class="num">${formatHashrate(w.hashesPerSecond)}</td>
                    <td>${formatAge(w.lastShareAt, now)}</td>
                  </tr>`,
              ),
              'No accepted shares in the last 24 hours.',
            )}
          </div>
          <h2>Rejected shares (24 h)</h2>
          <div id="rejections">
            ${table(
              html`<tr>
                <th>Worker</th>
                <th>Reason</th>
                <th class="num">Count</th>
                <th>Last</th>
              </tr>`,
              o.rejections.map(
                (r) =>
                  html`<tr>
                    <td>${r.workerName ?? '—'}</td>
                    <td>
                      <span class="mono">${r.reason}</span
                      >${r.lastDetail ? html`<br /><small class="muted">${r.lastDetail}</small>` : ''}
                    </td>
                    <td class="num">${r.count}</td>
                    <td>${formatAge(r.lastAt, now)}</td>
                  </tr>`,
              ),
              'None: every share of the last 24 hours was accepted.',
            )}
          </div>
          ${
            o.paymentErrors.length
              ? html`<h2>Payment problems</h2>
                  ${table(
                    html`<tr>
                      <th>Time</th>
                      <th class="num">Amount</th>
                      <th>Error</th>
                    </tr>`,
                    o.paymentErrors.map(
                      (e) =>
                        html`<tr>
                          <td class="time">${formatShortUtc(e.createdAt)}</td>
                          <td class="num">${coins(n, e.amount)}</td>
                          <td>${e.error}</td>
                        </tr>`,
                    ),
                    '',
                  )}`
              : ''
          }
        </section>
        <section>
          <h2>Ledger (last ${o.ledger.length || ''} entries)</h2>
          <div id="ledger">
            ${table(
              html`<tr>
                <th>Time</th>
                <th>Entry</th>
                <th class="num">Amount</th>
                <th>Transaction</th>
              </tr>`,
              o.ledger.map(
                (e) =>
                  html`<tr class="ledger-${e.category}">
                    <td class="time">${formatShortUtc(e.createdAt)}</td>
                    <td>${ledgerLabel(e)}</td>
                    <td class="num ${e.amount < 0n ? 'amount-debit' : 'amount-credit'}">
                      ${coins(n, e.amount)}
                    </td>
                    <td>
                      ${e.txid ? html`<span class="mono txid">${e.txid}</span>` : (e.note ?? '')}
                    </td>
                  </tr>`,
              ),
              'Nothing yet: credits appear here once a pool block you had shares in has matured.',
            )}
          </div>
          <p class="muted">
            Credits appear when a pool block matures (${CHAIN_PARAMS[n].coinbaseMaturity}
            confirmations); payouts go out automatically once the balance reaches
            ${coins(n, minimumPayout)}.
          </p>
        </section>
      </div>`,
  );
}

export function messagePage(
  networks: readonly Network[],
  network: Network | null,
  title: string,
  message: HtmlValue,
): Html {
  return layout(
    { title, network, networks },
    html`<h1>${title}</h1>
      <p class="notice">${message}</p>
      <p><a href="/${network ?? networks[0]}/">Back to the pool</a></p>`,
  );
}
