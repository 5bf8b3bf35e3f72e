import { CHAIN_PARAMS, Network } from '../../../biblepay/network';
import { Html, html } from './html';
import { layout, networkLabel } from './layout';
import { coins } from './page-parts';

/**
 * The wallet releases per generation that submit pool shares (docs/FIDELITY.md): classic 1.1.x /
 * 1.2.x and Evo up to 1.4.5.x call UpdatePoolProgress; from Evo 1.4.8.x the call is commented out
 * (src/miner.cpp:922-939 @1.4.8.4) and getwork refuses them (ProtocolError.walletSubmitsNoShares).
 */
export const WALLET_GENERATIONS = [
  {
    generation: 'Classic (BiblePay 1.1, 1.2)',
    works: '1.2.0.1 (1.1.x only on chains before 1.2.0.1 became mandatory)',
    refused: '—',
  },
  { generation: 'Evo (BiblePay 1.4)', works: '1.4.4.8, 1.4.5.x', refused: '1.4.8.0 and later' },
] as const;

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
        <h2>Which wallet</h2>
        <p>
          The pool counts the shares your wallet submits, so run a release that submits them. One
          that only asks for work is refused with a message saying so.
        </p>
        <div class="table-wrap">
          <table id="wallet-versions">
            <thead>
              <tr>
                <th>Generation</th>
                <th>Works</th>
                <th>Does not work</th>
              </tr>
            </thead>
            <tbody>
              ${WALLET_GENERATIONS.map(
                (g) =>
                  html`<tr>
                    <td>${g.generation}</td>
                    <td>${g.works}</td>
                    <td>${g.refused}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>
        <p>
          Evo wallets always connect with TLS to port 443 of the host in <code>pool=</code>: write
          <code>pool=https://host</code> without a port. Classic wallets connect to
          <code>poolport</code> (default 80) with <code>pool=http://host</code>.
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
