import { isValidAddress, randomAddress } from '../../src/biblepay/address';
import { Network } from '../../src/biblepay/network';
import {
  assembleBlock,
  buildBlockMessage,
  decodeBlock,
  DecodedBlock,
  encodeBlock,
  SimCoinbaseTx,
  SimCpid,
} from '../chain/block-codec';
import {
  bibleHash,
  checkNonce,
  F9000_PREV_HEIGHT,
  hashMeetsTarget,
  sha256Hex,
  ZERO_HASH,
} from '../chain/hash';
import type { SimFlavor } from './generation';

export type BlockOrigin = 'genesis' | 'network' | 'miner' | 'reorg';

export interface ChainBlock extends DecodedBlock {
  height: number;
  /** Block hex as received or built: what `getblock <hash> false` answers. */
  hex: string;
  origin: BlockOrigin;
}

export interface ChainSettings {
  network: Network;
  /** Classic nodes refuse a block whose nonce is above its own time's limit; Evo nodes do not. */
  flavor: SimFlavor;
  subsidy: bigint;
  networkTarget: string;
  walletVersion: string;
  now: () => number;
  random: () => number;
}

/** A block found by someone else: recipient, miner id and time are optional overrides. */
export interface MineRequest {
  recipient?: string;
  minerGuid?: string;
  time?: number;
}

export type ChainListener = (event: {
  kind: 'connected' | 'reorganised';
  block: ChainBlock;
}) => void;

/** BIP22 answers of `submitblock` (null = accepted). */
export type SubmitResult = null | string;

/**
 * The simulated chain: the main chain as an array indexed by height, plus the blocks that were
 * reorganised away (still answerable by `getblock`, with confirmations -1).
 */
export class SimChain {
  private readonly blocks: ChainBlock[] = [];
  private readonly mainByHash = new Map<string, ChainBlock>();
  private readonly orphans = new Map<string, ChainBlock>();
  private readonly listeners: ChainListener[] = [];
  /** Blocks above a rewind (`rewind`), given back by `catchUp`. */
  private hidden: ChainBlock[] = [];
  /** The branch the last `reorg` replaced and what replaced it, for `undoReorg`. */
  private lastReorg?: { height: number; replaced: ChainBlock[] };

  /** Height of the first block (0 unless created with a base height). */
  private base = 0;

  constructor(private readonly settings: ChainSettings) {}

  /**
   * A fresh chain: genesis plus `startHeight` blocks spaced `spacing` seconds, ending now. With
   * `baseHeight` > 0 the chain's first block sits at that height and nothing exists below it: a
   * node at a real-world height (post-PODC 110,000) without building 110,000 blocks.
   */
  static create(
    settings: ChainSettings,
    startHeight: number,
    spacing: number,
    baseHeight = 0,
  ): SimChain {
    const chain = new SimChain(settings);
    const now = settings.now();
    const step = Math.max(1, Math.round(spacing));
    const base = Math.min(baseHeight, startHeight);
    chain.base = base;
    chain.blocks.length = base; // holes below the base: at() answers undefined there
    chain.connect(
      chain.build(
        { prevHash: ZERO_HASH, prevHeight: Math.max(0, base - 1), prevTime: 0 },
        base,
        { recipient: randomAddress(settings.network), time: now - (startHeight - base) * step },
        0,
      ),
      'genesis',
    );
    for (let height = base + 1; height <= startHeight; height++) {
      chain.mine({ time: now - (startHeight - height) * step });
    }
    return chain;
  }

  /** A chain from saved blocks (hex, in height order) and saved orphans. */
  static restore(
    settings: ChainSettings,
    saved: { hex: string; origin: BlockOrigin }[],
    savedOrphans: { hex: string; height: number; origin: BlockOrigin }[],
  ): SimChain {
    const chain = new SimChain(settings);
    saved.forEach((entry, height) => {
      const block: ChainBlock = {
        ...decodeBlock(entry.hex),
        height,
        hex: entry.hex,
        origin: entry.origin,
      };
      chain.blocks.push(block);
      chain.mainByHash.set(block.hash, block);
    });
    for (const entry of savedOrphans) {
      const block = {
        ...decodeBlock(entry.hex),
        height: entry.height,
        hex: entry.hex,
        origin: entry.origin,
      };
      chain.orphans.set(block.hash, block);
    }
    if (chain.blocks.length === 0) throw new Error('saved chain has no blocks');
    return chain;
  }

  get network(): Network {
    return this.settings.network;
  }

  get subsidy(): bigint {
    return this.settings.subsidy;
  }

  get networkTarget(): string {
    return this.settings.networkTarget;
  }

  set networkTarget(target: string) {
    this.settings.networkTarget = target;
  }

  get tip(): ChainBlock {
    return this.blocks[this.blocks.length - 1];
  }

  get height(): number {
    return this.blocks.length - 1;
  }

  onChange(listener: ChainListener): void {
    this.listeners.push(listener);
  }

  at(height: number): ChainBlock | undefined {
    return Number.isInteger(height) && height >= 0 ? this.blocks[height] : undefined;
  }

  /** A block on the main chain or reorganised away. */
  find(hash: string): ChainBlock | undefined {
    return this.mainByHash.get(hash) ?? this.orphans.get(hash);
  }

  isMain(block: ChainBlock): boolean {
    return this.mainByHash.get(block.hash) === block;
  }

  /** Depth in the main chain (tip = 1); -1 for a block that was reorganised away. */
  confirmations(block: ChainBlock): number {
    return this.isMain(block) ? this.height - block.height + 1 : -1;
  }

  mainChain(): readonly ChainBlock[] {
    return this.base > 0 ? this.blocks.slice(this.base) : this.blocks;
  }

  orphaned(): ChainBlock[] {
    return [...this.orphans.values()];
  }

  /** The rest of the network finds a block on the tip. */
  mine(request: MineRequest = {}): ChainBlock {
    const tip = this.tip;
    const block = this.build(
      { prevHash: tip.hash, prevHeight: tip.height, prevTime: tip.header.time },
      tip.height + 1,
      request,
      this.randomInt(512),
    );
    this.connect(block, 'network');
    return block;
  }

  /**
   * `submitblock`: accepts a decoded block that builds on the tip and meets the network target.
   * The proof of work is checked with the node's own view of the previous block, as a real node
   * does. Throws SimDecodeError for hex that does not decode (the RPC layer answers -22).
   */
  submit(hex: string): SubmitResult {
    const decoded = decodeBlock(hex);
    if (this.find(decoded.hash)) return 'duplicate';
    const prev = this.find(decoded.header.prevHash);
    if (!prev) return 'bad-prevblk';
    if (prev !== this.tip) return 'inconclusive';
    if (decoded.header.prevHeight !== prev.height) return 'bad-prevblk';
    const pow = bibleHash({
      blockHash: decoded.hash,
      blockTime: decoded.header.time,
      prevBlockTime: prev.header.time,
      prevHeight: prev.height,
      nonce: decoded.header.nonce,
    });
    if (!hashMeetsTarget(pow, this.settings.networkTarget)) return 'high-hash';
    // Classic: CheckProofOfWork also runs CheckNonce over the header's own time from F9000 on, a
    // failure is "high-hash" (src/pow.cpp:404-411, src/main.cpp:4302-4304 @1.2.0.1). Evo's
    // CheckProofOfWork has no nonce check: only its miner applies it (src/pow.cpp:275-306,
    // src/miner.cpp:1200,1215 @1.4.4.8).
    if (
      this.settings.flavor === 'classic' &&
      prev.height >= F9000_PREV_HEIGHT[this.network] &&
      !checkNonce(decoded.header.nonce, prev.header.time, decoded.header.time)
    ) {
      return 'high-hash';
    }
    const tooNew = this.futureTimeRefusal(decoded.header.time, prev.height);
    if (tooNew) return tooNew;
    if (decoded.coinbase.height !== prev.height + 1) return 'bad-cb-height';
    if (!isValidAddress(this.network, decoded.coinbase.outputs[0].address)) return 'bad-cb-payee';
    const paid = decoded.coinbase.outputs.reduce((sum, out) => sum + out.value, 0n);
    if (paid > this.settings.subsidy) return 'bad-cb-amount';
    this.connect(
      { ...decoded, height: prev.height + 1, hex: hex.toLowerCase(), origin: 'miner' },
      'miner',
    );
    return null;
  }

  /**
   * CheckBlockHeader's clock checks, after the proof of work. Classic: more than 15 minutes ahead
   * is "time-way-too-new", after prev height 24,999 more than 5 minutes "time-too-new"
   * (src/main.cpp:4306-4313 @1.2.0.1). Evo: more than 15 minutes is "time-too-new"
   * (src/validation.cpp:3365-3368 @1.4.4.8; its 2-hour contextual check at :3513 never decides).
   */
  private futureTimeRefusal(time: number, prevHeight: number): string | null {
    const ahead = time - this.settings.now();
    if (this.settings.flavor === 'evo') return ahead > 15 * 60 ? 'time-too-new' : null;
    if (ahead > 15 * 60) return 'time-way-too-new';
    if (prevHeight > 24_999 && ahead > 5 * 60) return 'time-too-new';
    return null;
  }

  /**
   * Reorganises the chain from `height` on: every block from there to the tip gets a new hash;
   * the block at `height` is replaced by one paying a different recipient (the old one becomes an
   * orphan, `exec subsidy height` shows the new recipient) — or the same one when asked for with
   * a MINERGUID that makes another coinbase. Blocks above keep their coinbase.
   */
  reorg(height: number, request: { recipient?: string; minerGuid?: string } = {}): ChainBlock {
    if (!Number.isInteger(height) || height < 1 || height > this.height) {
      throw new RangeError(`no block at height ${height} to reorganise`);
    }
    const replaced = this.blocks.slice(height);
    let recipient = request.recipient;
    // The same recipient is kept only when asked for with a MINERGUID: another coinbase (a pool
    // block replaced by another pool block at its height).
    const again = request.minerGuid !== undefined && recipient !== undefined;
    while (!recipient || (recipient === replaced[0].coinbase.outputs[0].address && !again)) {
      recipient = randomAddress(this.network);
    }
    const firstCoinbase = this.coinbaseFor(height, { recipient, minerGuid: request.minerGuid });
    if (
      assembleBlock({ header: replaced[0].header, coinbase: firstCoinbase }).txid ===
      replaced[0].txid
    ) {
      throw new RangeError(`the block replacing height ${height} would have its coinbase`);
    }
    this.lastReorg = { height, replaced };
    this.blocks.length = height;
    for (const old of replaced) {
      this.mainByHash.delete(old.hash);
      this.orphans.set(old.hash, old);
    }
    let first: ChainBlock | undefined;
    for (const old of replaced) {
      const prev = this.tip;
      const header = {
        ...old.header,
        prevHash: prev.hash,
        prevTime: prev.header.time,
        nonce: (old.header.nonce + 1) >>> 0,
      };
      const coinbase = first ? old.coinbase : firstCoinbase;
      const block = this.toChainBlock(assembleBlock({ header, coinbase }), old.height, 'reorg');
      this.blocks.push(block);
      this.mainByHash.set(block.hash, block);
      first ??= block;
    }
    for (const block of this.blocks.slice(height)) {
      for (const listener of this.listeners) listener({ kind: 'reorganised', block });
    }
    return first as ChainBlock;
  }

  /**
   * Undoes the last `reorg` (A → B → A): the replaced branch is the main chain again, the blocks
   * that replaced it (and any mined on them) become orphans.
   */
  undoReorg(): ChainBlock {
    const last = this.lastReorg;
    if (!last) throw new RangeError('no reorganisation to undo');
    this.lastReorg = undefined;
    const replacement = this.blocks.slice(last.height);
    this.blocks.length = last.height;
    for (const block of replacement) {
      this.mainByHash.delete(block.hash);
      this.orphans.set(block.hash, block);
    }
    for (const block of last.replaced) {
      this.orphans.delete(block.hash);
      this.mainByHash.set(block.hash, block);
      this.blocks.push(block);
    }
    for (const block of last.replaced) {
      for (const listener of this.listeners) listener({ kind: 'reorganised', block });
    }
    return this.tip;
  }

  /**
   * A node restarted with -reindex or still syncing: the blocks above `height` are unknown to it
   * (getblockcount is `height`, getblockhash/getblock/subsidy above it fail) until `catchUp`.
   */
  rewind(height: number): ChainBlock {
    if (!Number.isInteger(height) || height < 0 || height >= this.height) {
      throw new RangeError(`cannot rewind to height ${height} (tip ${this.height})`);
    }
    const above = this.blocks.slice(height + 1);
    this.blocks.length = height + 1;
    for (const block of above) this.mainByHash.delete(block.hash);
    this.hidden = [...above, ...this.hidden];
    return this.tip;
  }

  /** Gives back what `rewind` hid (only when nothing was mined on the rewound tip meanwhile). */
  catchUp(): ChainBlock {
    const next = this.hidden[0];
    if (next && next.header.prevHash !== this.tip.hash) {
      throw new RangeError('the chain moved on since the rewind; cannot catch up');
    }
    for (const block of this.hidden) {
      this.mainByHash.set(block.hash, block);
      this.blocks.push(block);
    }
    this.hidden = [];
    return this.tip;
  }

  /** Rebuilds the tip with another time (and so another hash): to test `exec pinfo`. */
  setTipTime(time: number): ChainBlock {
    const old = this.tip;
    const block = this.toChainBlock(
      assembleBlock({ header: { ...old.header, time }, coinbase: old.coinbase }),
      old.height,
      old.origin,
    );
    this.blocks[old.height] = block;
    this.mainByHash.delete(old.hash);
    this.orphans.set(old.hash, old);
    this.mainByHash.set(block.hash, block);
    for (const listener of this.listeners) listener({ kind: 'reorganised', block });
    return block;
  }

  private build(
    prev: { prevHash: string; prevHeight: number; prevTime: number },
    height: number,
    request: MineRequest,
    nonce: number,
  ): ChainBlock {
    const time = request.time ?? Math.max(this.settings.now(), prev.prevTime);
    const coinbase = this.coinbaseFor(height, {
      recipient: request.recipient ?? randomAddress(this.network),
      minerGuid: request.minerGuid,
    });
    const header = { version: 536870912, ...prev, time, nonce };
    return this.toChainBlock(assembleBlock({ header, coinbase }), height, 'network');
  }

  private coinbaseFor(
    height: number,
    to: { recipient: string; minerGuid?: string },
  ): SimCoinbaseTx {
    const cpid: SimCpid = {
      cpid: sha256Hex(`cpid:${to.recipient}`).slice(0, 32),
      signature: sha256Hex(`sig:${to.recipient}:${height}`),
      signatureValid: true,
      legal: true,
      legalityNarr: '',
    };
    return {
      version: 1,
      height,
      extraNonce: 0,
      outputs: [
        {
          address: to.recipient,
          value: this.settings.subsidy,
          message: buildBlockMessage({
            walletVersion: this.settings.walletVersion,
            minerGuid: to.minerGuid,
            cpid,
          }),
        },
      ],
      cpid,
    };
  }

  private toChainBlock(block: DecodedBlock, height: number, origin: BlockOrigin): ChainBlock {
    return { ...block, height, hex: encodeBlock(block), origin };
  }

  private connect(block: ChainBlock, origin: BlockOrigin): void {
    block.origin = origin;
    this.blocks.push(block);
    this.mainByHash.set(block.hash, block);
    for (const listener of this.listeners) listener({ kind: 'connected', block });
  }

  private randomInt(below: number): number {
    return Math.floor(this.settings.random() * below);
  }
}
