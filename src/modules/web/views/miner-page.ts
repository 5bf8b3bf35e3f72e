import { CHAIN_PARAMS, Network } from '../../../biblepay/network';
import { formatAge, formatHashrate, formatShortUtc } from '../format';
import { MinerOverview } from '../miner-stats.service';
import { LedgerRow } from '../web-read-model';
import { Html, html } from './html';
import { layout } from './layout';
import { chart, ChartSpec, coins, status, table, tile } from './page-parts';

function ledgerLabel(row: LedgerRow): Html {
  switch (row.category) {
    case 'share':
      return html`Block ${row.blockHeight ?? '?'}`;
    case 'payout':
      return html`Payout
      ${row.paymentStatus && row.paymentStatus !== 'sent' && !row.txid ? status(row.paymentStatus) : ''}
      ${row.paymentStatus === 'sent' && !row.paymentConfirmed ? status('broadcast', 'awaiting confirmation') : ''}`;
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
        ${o.money.confirmed > 0n ? tile('Paid (confirmed)', coins(n, o.money.confirmed), 'paid-confirmed') : ''}
        ${o.money.paid > o.money.confirmed ? tile('Sent, awaiting confirmation', coins(n, o.money.paid - o.money.confirmed), 'paid-unconfirmed') : ''}
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
