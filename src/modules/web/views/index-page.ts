import { Network } from '../../../biblepay/network';
import { formatHashrate } from '../format';
import { PoolSummary } from '../pool-stats.service';
import { Html, html } from './html';
import { layout, networkLabel } from './layout';
import { coins, tile } from './page-parts';

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
