import { CHAIN_PARAMS, Network } from '../../../biblepay/network';
import { Html, html } from './html';
import { layout, networkLabel } from './layout';
import { coins } from './page-parts';

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
