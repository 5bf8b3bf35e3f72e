import { BaseUnits } from '../../../biblepay/amount';
import type { AuditReport, FundingReport } from '../../audit/audit.service';
import type { ShareoutReport } from '../../block/shareout.service';
import type { PayoutPlan } from '../../payout/payout.service';
import { formatCoins, formatUtc } from '../../web/format';
import { Html, html, HtmlValue } from '../../web/views/html';
import type { AdminActionRow } from '../admin-action.repository';
import type {
  BlockHit,
  BlockSplitRow,
  MinerHit,
  MinerStory,
  OpenProblems,
  PaymentRow,
  PoolBlockRow,
} from '../admin-read-model';
import type { DeadLetter } from '../dead-letters.service';
import { AdminFrame, adminLayout, csrfField } from './admin-layout';

const bbp = (units: BaseUnits): string => `${formatCoins(units)} BBP`;
const when = (date: Date | null | undefined): string => (date ? formatUtc(date) : '—');
const minerHref = (network: string, address: string): string =>
  `/admin/miners/${encodeURIComponent(network)}/${encodeURIComponent(address)}`;

function table(headers: HtmlValue[], rows: Html[], empty: string): Html {
  if (rows.length === 0) return html`<p class="muted">${empty}</p>`;
  return html`<table>
    <thead>
      <tr>
        ${headers.map((h) => html`<th>${h}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

function networkTabs(base: string, networks: readonly string[], current: string): Html {
  if (networks.length < 2) return html``;
  return html`<p>
    ${networks.map(
      (n) =>
        html`<a href="${base}?network=${n}" ${n === current ? html`aria-current="true"` : ''}
          >${n}</a
        > `,
    )}
  </p>`;
}

export interface OverviewNetwork {
  network: string;
  problems: OpenProblems;
}

export function overviewPage(
  frame: AdminFrame,
  networks: OverviewNetwork[],
  deadLetters: number | null,
): Html {
  const counts = networks.map(
    (n) =>
      html`<tr>
        <td>${n.network}</td>
        <td class="num">${n.problems.unprovenPayments.length}</td>
        <td class="num">${n.problems.conflictedPayments.length}</td>
        <td class="num">${n.problems.setAside.length}</td>
        <td class="num">${n.problems.negativeBalances.length}</td>
      </tr>`,
  );
  return adminLayout(
    { ...frame, active: 'overview' },
    html`<section>
        <h2>Find</h2>
        <form method="get" action="/admin/search">
          <label
            >Address, miner GUID, worker name, block height or hash, txid
            <input type="search" name="q" required
          /></label>
          <button type="submit">Search</button>
        </form>
      </section>
      <section>
        <h2>Open problems</h2>
        ${table(
          [
            'network',
            'unproven payments',
            'conflicted sends',
            'recipients set aside',
            'negative balances',
          ],
          counts,
          'No network served.',
        )}
        <p>
          Dead-lettered solution messages:
          ${
            deadLetters === null
              ? html`<span class="bad">broker not reachable</span>`
              : html`<strong class="${deadLetters > 0 ? 'bad' : 'ok'}">${deadLetters}</strong>`
          }
          · <a href="/admin/problems">details, and the audit</a>
        </p>
      </section>`,
  );
}

export interface SearchHits {
  miners: MinerHit[];
  blocks: BlockHit[];
  payments: PaymentRow[];
}

export function searchPage(frame: AdminFrame, q: string, hits: SearchHits): Html {
  return adminLayout(
    { ...frame, active: 'search', title: `Search: ${q}` },
    html`<section>
        <h2>Miners</h2>
        ${table(
          ['network', 'address', 'GUID', 'matching workers', 'balance', 'state'],
          hits.miners.map(
            (m) =>
              html`<tr>
                <td>${m.network}</td>
                <td><a href="${minerHref(m.network, m.address)}">${m.address}</a></td>
                <td><code>${m.guid}</code></td>
                <td>${m.workers.join(', ')}</td>
                <td class="num">${bbp(m.balance)}</td>
                <td>${m.disabled ? html`<span class="bad">disabled</span>` : 'enabled'}</td>
              </tr>`,
          ),
          'No miner matches.',
        )}
      </section>
      <section>
        <h2>Blocks</h2>
        ${table(
          ['network', 'height', 'hash', 'status', 'pool block'],
          hits.blocks.map(
            (b) =>
              html`<tr>
                <td>${b.network}</td>
                <td>
                  ${
                    b.isPoolBlock
                      ? html`<a href="/admin/blocks/${b.network}/${b.height}">${b.height}</a>`
                      : b.height
                  }
                </td>
                <td><code>${b.hash}</code></td>
                <td>${b.status}</td>
                <td>${b.isPoolBlock ? 'yes' : 'no'}</td>
              </tr>`,
          ),
          'No block matches.',
        )}
      </section>
      <section>
        <h2>Payments</h2>
        ${paymentTable(hits.payments)}
      </section>`,
  );
}

function paymentTable(payments: PaymentRow[]): Html {
  return table(
    ['id', 'network', 'status', 'total', 'recipients', 'txid', 'created', 'error'],
    payments.map(
      (p) =>
        html`<tr>
          <td>${p.id}</td>
          <td>${p.network}</td>
          <td
            class="${p.walletProblem ? 'bad' : p.status === 'sent' ? 'ok' : p.status === 'failed' ? 'bad' : ''}"
          >
            ${paymentState(p)}
          </td>
          <td class="num">${bbp(p.total)}</td>
          <td class="num">${p.recipients}</td>
          <td><code>${p.txid ?? '—'}</code></td>
          <td>${when(p.createdAt)}</td>
          <td>${p.walletProblem ?? p.error ?? ''}</td>
        </tr>`,
    ),
    'No payment.',
  );
}

/** A sent payment is broadcast until confirmed; conflicted or abandoned ones say so. */
function paymentState(p: PaymentRow): string {
  if (p.status !== 'sent') return p.status;
  if (p.walletProblem) return p.walletProblem.startsWith('abandoned') ? 'abandoned' : 'conflicted';
  return p.confirmedAt ? 'confirmed' : 'broadcast';
}

export function minerStoryPage(
  frame: AdminFrame,
  story: MinerStory,
  actions: AdminActionRow[],
): Html {
  const m = story.miner;
  const base = minerHref(m.network, m.address);
  const now = Date.now();
  const suspended = m.suspendedUntil && m.suspendedUntil.getTime() > now;
  return adminLayout(
    { ...frame, title: `Miner ${m.address}` },
    html`${
        m.disabled
          ? html`<p class="notice bad" role="status">
              This miner is <strong>disabled</strong>: the frontends refuse its getwork.
            </p>`
          : ''
      }
      ${
        story.setAside?.setAsideAt
          ? html`<p class="notice bad">
              Payouts set aside since ${when(story.setAside.setAsideAt)} after
              ${story.setAside.failures} failures: ${story.setAside.lastError}
            </p>`
          : ''
      }
      <section>
        <h2>Account</h2>
        <dl>
          <dt>Network</dt>
          <dd>${m.network}</dd>
          <dt>GUID</dt>
          <dd><code>${m.guid}</code></dd>
          <dt>Email</dt>
          <dd>${m.email ?? '—'}</dd>
          <dt>State</dt>
          <dd class="state">${m.disabled ? 'disabled' : 'enabled'}</dd>
          <dt>Suspension</dt>
          <dd>
            ${
              suspended
                ? html`<span class="bad"
                    >until ${when(m.suspendedUntil)}: ${m.suspendedReason ?? ''}</span
                  >`
                : 'none'
            }
          </dd>
          <dt>Rating</dt>
          <dd>${m.rating ?? 'not rated yet'}</dd>
          <dt>Hash target</dt>
          <dd><code>${m.hashTarget ?? 'the pool’s base target'}</code></dd>
          <dt>Balance</dt>
          <dd class="balance">${bbp(story.balance)}</dd>
          <dt>Last accepted share</dt>
          <dd>${when(m.lastAcceptedAt)}</dd>
          <dt>First seen</dt>
          <dd>${when(m.createdAt)}</dd>
        </dl>
      </section>
      <section>
        <h2>Actions</h2>
        <form method="post" action="${base}/${m.disabled ? 'enable' : 'disable'}">
          ${csrfField(frame.csrf)}
          <label>Reason <input type="text" name="reason" required maxlength="255" /></label>
          <button class="${m.disabled ? '' : 'danger'}" type="submit">
            ${m.disabled ? 'Enable miner…' : 'Disable miner…'}
          </button>
        </form>
        <form method="post" action="${base}/adjustments">
          ${csrfField(frame.csrf)}
          <label
            >Balance adjustment (BBP, e.g. 1.5 or -0.25)
            <input type="text" name="amount" required inputmode="decimal"
          /></label>
          <label>Reason <input type="text" name="reason" required maxlength="255" /></label>
          <button type="submit">Adjust balance…</button>
        </form>
        <p class="muted">Each action asks for confirmation and is written to the audit trail.</p>
      </section>
      <section>
        <h2>Workers</h2>
        ${table(
          ['name', 'shares', 'last share', 'first seen'],
          story.workers.map(
            (w) =>
              html`<tr>
                <td>${w.name}</td>
                <td class="num">${w.shares}</td>
                <td>${when(w.lastShareAt)}</td>
                <td>${when(w.createdAt)}</td>
              </tr>`,
          ),
          'No worker.',
        )}
      </section>
      <section>
        <h2>Recent shares</h2>
        ${table(
          ['received', 'worker', 'prev height', 'weight', 'round (block)'],
          story.shares.map(
            (s) =>
              html`<tr>
                <td>${when(s.receivedAt)}</td>
                <td>${s.worker ?? ''}</td>
                <td class="num">${s.prevHeight}</td>
                <td class="num">${s.shareWeight}</td>
                <td>${s.blockHeight ?? 'open'}</td>
              </tr>`,
          ),
          'No accepted share kept.',
        )}
      </section>
      <section>
        <h2>Rejected shares</h2>
        <p>${story.rejectionsByReason.map((r) => html`<span>${r.reason}: ${r.count}</span> · `)}</p>
        ${table(
          ['when', 'worker', 'reason', 'detail'],
          story.rejections.map(
            (r) =>
              html`<tr>
                <td>${when(r.insertedAt)}</td>
                <td>${r.worker ?? ''}</td>
                <td>${r.reason}</td>
                <td>${r.detail ?? ''}</td>
              </tr>`,
          ),
          'No rejected share kept.',
        )}
      </section>
      <section>
        <h2>Ledger</h2>
        ${table(
          ['when', 'category', 'amount', 'block', 'note', 'txid'],
          story.ledger.map(
            (l) =>
              html`<tr class="ledger-${l.category}">
                <td>${when(l.createdAt)}</td>
                <td>${l.category}</td>
                <td class="num">${bbp(l.amount)}</td>
                <td>${l.blockHeight ?? ''}</td>
                <td>${l.note ?? ''}</td>
                <td><code>${l.txid ?? ''}</code></td>
              </tr>`,
          ),
          'No ledger entry.',
        )}
      </section>
      <section>
        <h2>Payments</h2>
        ${table(
          ['id', 'status', 'amount', 'txid', 'created'],
          story.payments.map(
            (p) =>
              html`<tr>
                <td>${p.id}</td>
                <td>${p.status}</td>
                <td class="num">${bbp(p.amount)}</td>
                <td><code>${p.txid ?? '—'}</code></td>
                <td>${when(p.createdAt)}</td>
              </tr>`,
          ),
          'No payment.',
        )}
        <h2>Payment errors</h2>
        ${table(
          ['when', 'amount', 'error'],
          story.paymentErrors.map(
            (e) =>
              html`<tr>
                <td>${when(e.createdAt)}</td>
                <td class="num">${bbp(e.amount)}</td>
                <td>${e.error}</td>
              </tr>`,
          ),
          'No payment error.',
        )}
      </section>
      <section>
        <h2>Console actions on this miner</h2>
        ${actionTable(actions)}
      </section>`,
  );
}

export interface Confirmation {
  title: string;
  /** What changes: label, now, after. */
  changes: [string, string, string][];
  action: string;
  fields: Record<string, string>;
  /** This form's one-time nonce: a second send of the same form changes nothing. */
  once: string;
  confirmLabel: string;
  cancelHref: string;
  danger?: boolean;
}

/** The server-side confirmation step of every change made from a page. */
export function confirmPage(frame: AdminFrame, c: Confirmation): Html {
  return adminLayout(
    { ...frame, title: c.title },
    html`<section>
      ${table(
        ['', 'now', 'after'],
        c.changes.map(
          ([label, now, after]) =>
            html`<tr>
              <th>${label}</th>
              <td>${now}</td>
              <td><strong>${after}</strong></td>
            </tr>`,
        ),
        '',
      )}
      <form method="post" action="${c.action}">
        ${csrfField(frame.csrf)}
        ${Object.entries(c.fields).map(
          ([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`,
        )}
        <input type="hidden" name="_once" value="${c.once}" />
        <input type="hidden" name="confirm" value="yes" />
        <button class="${c.danger ? 'danger' : ''}" type="submit">${c.confirmLabel}</button>
        <a href="${c.cancelHref}">Cancel</a>
      </form>
    </section>`,
  );
}

export function blocksPage(
  frame: AdminFrame,
  networks: readonly string[],
  network: string,
  blocks: PoolBlockRow[],
): Html {
  return adminLayout(
    { ...frame, active: 'blocks' },
    html`${networkTabs('/admin/blocks', networks, network)}
      <section>
        ${table(
          [
            'height',
            'status',
            'confirmations',
            'found',
            'subsidy',
            'fee',
            'credited',
            'shares',
            'shared out',
          ],
          blocks.map(
            (b) =>
              html`<tr>
                <td><a href="/admin/blocks/${b.network}/${b.height}">${b.height}</a></td>
                <td class="${b.reversedAt || b.status === 'orphaned' ? 'bad' : ''}">
                  ${b.status}${b.reversedAt ? ' (reversed)' : ''}
                </td>
                <td class="num">${b.confirmations}</td>
                <td>${when(b.chainTime)}</td>
                <td class="num">${bbp(b.subsidy)}</td>
                <td class="num">
                  ${bbp(b.fee)}${b.feeReason ? html` <span class="muted">(${b.feeReason})</span>` : ''}
                </td>
                <td class="num">${bbp(b.credited)}</td>
                <td class="num">${b.shares}</td>
                <td>${when(b.sharedOutAt)}</td>
              </tr>`,
          ),
          'No pool block yet.',
        )}
      </section>`,
  );
}

export function blockPage(
  frame: AdminFrame,
  blocks: { block: PoolBlockRow; split: BlockSplitRow[] }[],
): Html {
  return adminLayout(
    { ...frame, active: 'blocks' },
    blocks.map(
      ({ block: b, split }) =>
        html`<section>
          <h2>${b.network} block ${b.height}: ${b.status}${b.reversedAt ? ' (reversed)' : ''}</h2>
          <p><code>${b.hash}</code></p>
          <p>
            Subsidy ${bbp(b.subsidy)}, fee ${bbp(b.fee)}, credited ${bbp(b.credited)} over
            ${split.length} miners (${b.shares} shares in its round).
          </p>
          ${table(
            ['miner', 'shares', 'weight', 'credited'],
            split.map(
              (r) =>
                html`<tr>
                  <td><a href="${minerHref(b.network, r.address)}">${r.address}</a></td>
                  <td class="num">${r.shares}</td>
                  <td class="num">${r.weight}</td>
                  <td class="num">${bbp(r.credited)}</td>
                </tr>`,
            ),
            'Its round has no share (yet).',
          )}
        </section>`,
    ),
  );
}

export function paymentsPage(
  frame: AdminFrame,
  networks: readonly string[],
  network: string,
  payments: PaymentRow[],
): Html {
  return adminLayout(
    { ...frame, active: 'payments' },
    html`${networkTabs('/admin/payments', networks, network)}
      <section>${paymentTable(payments)}</section>`,
  );
}

export interface NetworkProblems {
  network: string;
  problems: OpenProblems;
  audit: AuditReport | { error: string };
}

export function problemsPage(
  frame: AdminFrame,
  networks: NetworkProblems[],
  deadLetters: { total: number; messages: DeadLetter[] } | { error: string },
): Html {
  return adminLayout(
    { ...frame, active: 'problems' },
    html`${networks.map(
        (n) =>
          html`<section>
            <h2>${n.network}: audit</h2>
            ${
              'error' in n.audit
                ? html`<p class="notice bad">The audit could not run: ${n.audit.error}</p>`
                : n.audit.ok
                  ? html`<p class="notice ok">The ledger adds up (audit OK).</p>`
                  : html`<ul class="bad">
                      ${n.audit.problems.map((p) => html`<li>${p}</li>`)}
                    </ul>`
            }
            <h2>${n.network}: unproven payments</h2>
            ${paymentTable(n.problems.unprovenPayments)}
            <h2>${n.network}: conflicted or abandoned sends</h2>
            <p>
              The wallet will not mine these; their coins are spendable again. Re-credit one to its
              miners (here, or POST /admin/api/payments/${n.network}/&lt;batch id&gt;/recredit; in
              the trail).
            </p>
            ${paymentTable(n.problems.conflictedPayments)}
            ${n.problems.conflictedPayments.map(
              (p) =>
                html`<form
                  method="post"
                  action="/admin/payments/${p.network}/${p.batchId}/recredit"
                  class="inline"
                >
                  ${csrfField(frame.csrf)}
                  <label>Reason <input type="text" name="reason" required maxlength="255" /></label>
                  <button class="danger" type="submit">Re-credit payment ${p.id}…</button>
                </form>`,
            )}
            <h2>${n.network}: recipients set aside</h2>
            ${table(
              ['address', 'failures', 'since', 'last error'],
              n.problems.setAside.map(
                (s) =>
                  html`<tr>
                    <td><a href="${minerHref(s.network, s.address)}">${s.address}</a></td>
                    <td class="num">${s.failures}</td>
                    <td>${when(s.since)}</td>
                    <td>${s.lastError}</td>
                  </tr>`,
              ),
              'None.',
            )}
            <h2>${n.network}: negative balances</h2>
            ${table(
              ['address', 'balance'],
              n.problems.negativeBalances.map(
                (s) =>
                  html`<tr>
                    <td><a href="${minerHref(s.network, s.address)}">${s.address}</a></td>
                    <td class="num bad">${bbp(s.balance)}</td>
                  </tr>`,
              ),
              'None.',
            )}
          </section>`,
      )}
      <section>
        <h2>Dead-lettered solution messages</h2>
        ${
          'error' in deadLetters
            ? html`<p class="notice bad">The broker is not reachable: ${deadLetters.error}</p>`
            : html`<p>${deadLetters.total} in the dead-letter queue.</p>
                ${table(
                  ['message', 'reason', 'when', 'network / worker', 'solutions', 'body', ''],
                  deadLetters.messages.map(
                    (d) =>
                      html`<tr>
                        <td><code>${d.key}</code></td>
                        <td>${d.reason ?? ''}</td>
                        <td>${when(d.deadLetteredAt)}</td>
                        <td>${d.network ?? ''} ${d.miner ?? ''}</td>
                        <td>${d.solutions}</td>
                        <td><code>${d.preview}</code></td>
                        <td>
                          <form method="post" action="/admin/dead-letters/requeue" class="inline">
                            ${csrfField(frame.csrf)}<input
                              type="hidden"
                              name="key"
                              value="${d.key}"
                            />
                            <button type="submit">Requeue…</button>
                          </form>
                          <form method="post" action="/admin/dead-letters/discard" class="inline">
                            ${csrfField(frame.csrf)}<input
                              type="hidden"
                              name="key"
                              value="${d.key}"
                            />
                            <button class="danger" type="submit">Discard…</button>
                          </form>
                        </td>
                      </tr>`,
                  ),
                  'The dead-letter queue is empty.',
                )}`
        }
      </section>`,
  );
}

export type ReportResult =
  | { kind: 'shareout'; network: string; reports: ShareoutReport[] }
  | { kind: 'payouts'; network: string; plan: PayoutPlan }
  | { kind: 'audit'; network: string; report: AuditReport }
  | { kind: 'funding'; network: string; report: FundingReport };

export function reportsPage(
  frame: AdminFrame,
  networks: readonly string[],
  result: ReportResult | null,
): Html {
  const run = (path: string, label: string) =>
    html`<form method="post" action="/admin/reports/${path}" class="inline">
      ${csrfField(frame.csrf)}
      <select name="network" aria-label="Network">
        ${networks.map((n) => html`<option value="${n}">${n}</option>`)}
      </select>
      <button type="submit">${label}</button>
    </form>`;
  return adminLayout(
    { ...frame, active: 'reports' },
    html`<section>
        <p>${run('shareout', 'Shareout dry run')} ${run('payouts', 'Payout dry run')}</p>
        <p>${run('audit', 'Run the audit')} ${run('funding', 'Funding report')}</p>
        <p class="muted">
          Dry runs show the plan and write nothing (no credit, no send); every run is recorded in
          the audit trail.
        </p>
      </section>
      ${result ? html`<section class="report">${reportBody(result)}</section>` : ''}`,
  );
}

function reportBody(result: ReportResult): Html {
  switch (result.kind) {
    case 'shareout':
      return html`<h2>${result.network}: shareout dry run</h2>
        ${
          result.reports.length === 0
            ? html`<p>No mature pool block to share out.</p>`
            : result.reports.map(
                (r) =>
                  html`<h3>Block ${r.height} (${r.scheme})</h3>
                    <p>
                      Subsidy ${bbp(r.subsidy)}, fee ${bbp(r.fee)} to ${r.feeRecipient}
                      ${r.feeReason ? html`(${r.feeReason})` : ''}, ${r.credits.size} miners
                    </p>
                    ${table(
                      ['miner id', 'credit'],
                      [...r.credits].map(
                        ([miner, amount]) =>
                          html`<tr>
                            <td>${miner}</td>
                            <td class="num">${bbp(amount)}</td>
                          </tr>`,
                      ),
                      'Nobody.',
                    )}`,
              )
        }`;
    case 'payouts':
      return html`<h2>${result.network}: payout dry run</h2>
        <p>${result.plan.recipients.length} miners due, ${bbp(result.plan.total)} in total.</p>
        ${table(
          ['address', 'amount'],
          result.plan.recipients.map(
            (r) =>
              html`<tr>
                <td><a href="${minerHref(result.network, r.address)}">${r.address}</a></td>
                <td class="num">${bbp(r.amount)}</td>
              </tr>`,
          ),
          'Nobody is due.',
        )}`;
    case 'audit': {
      const a = result.report;
      const w = a.wallet;
      return html`<h2>
          ${result.network}: audit
          ${a.ok ? html`<span class="ok">OK</span>` : html`<span class="bad">MISMATCH</span>`}
        </h2>
        <p>
          ${a.sharedBlocks} shared blocks, credited ${bbp(a.credited)} = subsidy − fee
          ${bbp(a.distributable)}.
        </p>
        <p>
          Wallet received ${bbp(w.received)} = credits ${bbp(w.credits)} + fees ${bbp(w.fees)} +
          pending ${bbp(w.pending)} + reversed ${bbp(w.reversed)}.
        </p>
        <p class="adjustments">
          Manual adjustments: ${a.adjustments.count}, Σ ${bbp(a.adjustments.total)}.
        </p>
        <ul>
          ${a.problems.map((p) => html`<li class="bad">${p}</li>`)}
        </ul>`;
    }
    case 'funding': {
      const f = result.report;
      return html`<h2>${result.network}: funding</h2>
        <p>
          Required ${bbp(f.required)} (balances + unshared pool subsidy), available
          ${bbp(f.available)} (wallet + immature):
          ${
            f.ok
              ? html`<span class="ok">surplus ${bbp(f.surplus)}</span>`
              : html`<span class="bad">short by ${bbp(-f.surplus)}</span>`
          }
        </p>`;
    }
  }
}

function actionTable(actions: AdminActionRow[]): Html {
  return table(
    ['when', 'who', 'from', 'action', 'target', 'reason', 'before', 'after'],
    actions.map(
      (a) =>
        html`<tr>
          <td>${when(a.createdAt)}</td>
          <td>${a.actor}</td>
          <td>${a.clientIp ?? ''}</td>
          <td>${a.action}</td>
          <td>
            ${
              (a.network && a.target && a.action.startsWith('miner')) ||
              a.action === 'balance.adjust'
                ? html`<a href="${minerHref(a.network ?? '', a.target ?? '')}"
                    >${a.network}/${a.target}</a
                  >`
                : html`${a.network ?? ''} ${a.target ?? ''}`
            }
          </td>
          <td>${a.reason ?? ''}</td>
          <td><code>${a.before === null ? '' : JSON.stringify(a.before)}</code></td>
          <td><code>${a.after === null ? '' : JSON.stringify(a.after)}</code></td>
        </tr>`,
    ),
    'No action yet.',
  );
}

export function actionsPage(frame: AdminFrame, actions: AdminActionRow[]): Html {
  return adminLayout(
    { ...frame, active: 'actions' },
    html`<section>${actionTable(actions)}</section>`,
  );
}
