import {
  BadRequestException,
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { baseToCoins } from '../../biblepay/amount';
import { Network } from '../../biblepay/network';
import { NodeClients } from '../../biblepay/node-clients';
import type { Queryable } from '../../database/queryable';
import { MinerRepository } from '../mining/miner.repository';
import { LedgerRepository } from './ledger.repository';
import { PaymentRepository } from './payment.repository';
import {
  batchOfComment,
  grossOfSend,
  uncommentedRecipients,
  unclaimedSends,
} from './wallet-claims';
import { sendsOf, WalletSend, walletTransactions } from './wallet-ledger';

/** Writes the operator's trail entry in the same transaction as the change; returns its id. */
export type RecordAction = (
  manager: EntityManager,
  before: unknown,
  after: unknown,
) => Promise<number>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface AttachResult {
  network: Network;
  txid: string;
  paymentId: number;
  batchId: string;
  /** Per recipient: what the ledger now says was paid (received + its share of the fee). */
  recipients: { address: string; amount: bigint; balanceAfter: bigint }[];
  total: bigint;
  actionId: number;
}

/**
 * Every wallet send is claimed (issue 25): a send that looks like the pool's — `purepool:` comment,
 * or every output to a miner — must belong to a payment row. One that does not (a failover to a
 * replica that lost the payment, a restore) stops payouts until the operator attaches it to the
 * ledger or dismisses it; both are in the console's trail.
 */
@Injectable()
export class WalletClaimsService {
  private readonly logger = new Logger('WalletClaims');

  constructor(
    private readonly payments: PaymentRepository,
    private readonly ledger: LedgerRepository,
    private readonly miners: MinerRepository,
    private readonly nodes: NodeClients,
  ) {}

  /**
   * The pool's sends among `sends` that nothing in the ledger claims. Read the wallet first, the
   * claims after: a send listed was dispatched after its intent was committed, so it is claimed.
   */
  async findUnclaimed(
    network: Network,
    sends: Iterable<WalletSend>,
    q?: Queryable,
  ): Promise<WalletSend[]> {
    const list = [...sends];
    if (list.length === 0) return [];
    const miners = await this.miners.idsByAddress(network, uncommentedRecipients(list), q);
    const claims = await this.payments.claims(network, q);
    return unclaimedSends(list, claims, (address) => miners.has(address));
  }

  /**
   * Attaches a send the ledger lost to it: a `sent` payment row with its txid, each recipient
   * debited what it received plus its share of the fee — what left the wallet, to the base unit.
   * Every output must go to a miner of the network; a send already claimed is refused.
   */
  async attach(network: Network, txid: string, record: RecordAction): Promise<AttachResult> {
    const send = await this.walletSend(network, txid);
    const gross = grossOfSend(send);
    const ids = await this.miners.idsByAddress(network, [...gross.keys()]);
    const strangers = [...gross.keys()].filter((a) => !ids.has(a));
    if (strangers.length > 0) {
      throw new BadRequestException(
        `the send pays ${strangers.join(', ')}, which is no miner of ${network}: dismiss it and adjust balances by hand`,
      );
    }
    const total = send.paid + send.fee;
    await this.payments.recordUnclaimed(network, [send]);
    return this.payments.transaction(async (manager) => {
      if ((await this.payments.claims(network, manager)).txids.has(txid)) {
        throw new ConflictException(`the wallet send ${txid} is already claimed`);
      }
      const amounts = new Map([...gross].map(([address, amount]) => [ids.get(address)!, amount]));
      const before = await this.ledger.lockedBalances(manager, [...amounts.keys()]);
      const named = batchOfComment(send.comment);
      const batchId =
        UUID.test(named) && !(await this.payments.batchExists(manager, named))
          ? named
          : randomUUID();
      const paymentId = await this.payments.insertAttached(
        manager,
        network,
        batchId,
        total,
        amounts.size,
        txid,
        new Date(send.time * 1000),
      );
      await this.ledger.insertPayouts(manager, network, paymentId, amounts);
      await this.ledger.refreshBalances(manager, [...amounts.keys()]);
      const after = await this.ledger.lockedBalances(manager, [...amounts.keys()]);
      await this.payments.resolveUnclaimed(manager, network, txid, 'attached', paymentId);
      const recipients = [...gross].map(([address, amount]) => ({
        address,
        amount,
        balanceAfter: after.get(ids.get(address)!) ?? 0n,
      }));
      const actionId = await record(
        manager,
        {
          unclaimed: true,
          balances: Object.fromEntries(
            [...gross.keys()].map((a) => [a, baseToCoins(before.get(ids.get(a)!) ?? 0n)]),
          ),
        },
        {
          paymentId,
          batchId,
          total: baseToCoins(total),
          balances: Object.fromEntries(
            recipients.map((r) => [r.address, baseToCoins(r.balanceAfter)]),
          ),
        },
      );
      const owing = recipients.filter((r) => r.balanceAfter < 0n);
      this.logger.warn(
        `wallet send ${txid} attached to the ledger as payment ${batchId} (${baseToCoins(total)} BBP)` +
          (owing.length
            ? `; ${owing.length} recipient(s) were paid again meanwhile and now owe it (negative balance)`
            : ''),
      );
      return { network, txid, paymentId, batchId, recipients, total, actionId };
    });
  }

  /** The operator says a send is not the pool's payout (e.g. a send by hand): it stops nothing. */
  async dismiss(
    network: Network,
    txid: string,
    record: RecordAction,
  ): Promise<{ network: Network; txid: string; actionId: number }> {
    const send = await this.walletSend(network, txid);
    await this.payments.recordUnclaimed(network, [send]);
    return this.payments.transaction(async (manager) => {
      if ((await this.payments.claims(network, manager)).txids.has(txid)) {
        throw new ConflictException(`the wallet send ${txid} is already claimed`);
      }
      await this.payments.resolveUnclaimed(manager, network, txid, 'dismissed', null);
      const actionId = await record(
        manager,
        { unclaimed: true, comment: send.comment, paid: baseToCoins(send.paid) },
        { dismissed: true },
      );
      this.logger.warn(`wallet send ${txid} dismissed by the operator: not the pool's payout`);
      return { network, txid, actionId };
    });
  }

  /** The send as the wallet lists it now (never as the database remembers it). */
  private async walletSend(network: Network, txid: string): Promise<WalletSend> {
    if (!/^[0-9a-f]{64}$/.test(txid)) throw new BadRequestException('txid: 64 hex digits');
    const sends = sendsOf(await walletTransactions(this.nodes.of(network)));
    const send = sends.get(txid);
    if (!send) throw new NotFoundException(`the ${network} wallet lists no send ${txid}`);
    return send;
  }
}
