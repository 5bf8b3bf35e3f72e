/**
 * Why a share was rejected, stored in rejected_solution.reason and shown to the miner. The order
 * is the order of the checks (cheapest first, docs/PROTOCOL.md §3 plus what the original missed).
 */
export const RejectReason = {
  /** The solution string failed the shape check (the frontend should have refused it). */
  malformed: 'malformed_solution',
  /** No work with that id for that network (stale, pruned, or invented). */
  unknownWork: 'unknown_work',
  /** The solution's MINERGUID is not the miner the work was handed to. */
  minerMismatch: 'miner_mismatch',
  /**
   * The share's source (IPv4 address, IPv6 /64) is suspended for too many rejected shares (no node
   * call is spent on it). Never the miner: anyone can send shares naming any miner's work.
   */
  sourceSuspended: 'source_suspended',
  /** bible hash > the work's hash target (equality is accepted, as the wallet sends it). */
  aboveTarget: 'above_target',
  /**
   * The block hex is not the block the share's fields describe: its header has another time or
   * nonce, or the node's bible hash of that block is not the share's (another block's hash).
   */
  blockMismatch: 'block_mismatch',
  /** This bible hash was accepted before. */
  duplicate: 'duplicate_bible_hash',
  /** The node's `exec biblehash` of the five inputs is a different hash. */
  bibleHashMismatch: 'biblehash_mismatch',
  /** `exec hexblocktocoinbase` could not decode the block. */
  coinbaseUndecodable: 'coinbase_undecodable',
  /** The block's previous-block hash is not the chain's block at prev_height. */
  wrongPrevBlock: 'wrong_prev_block',
  /** prev_block_time is not the time of the chain's block at prev_height. */
  badPrevTime: 'bad_prev_time',
  /** Coinbase output 0 does not pay the pool's address of that network. */
  wrongRecipient: 'wrong_recipient',
  /** The coinbase message does not carry the work's `<MINERGUID>`: another miner's block. */
  foreignBlock: 'foreign_block',
  /** The node did not report CPID fields (an old node): legality cannot be checked. */
  cpidUnknown: 'cpid_unknown',
  cpidSignatureInvalid: 'cpid_signature_invalid',
  cpidIllegal: 'cpid_illegal',
  /** nonce > the node's max nonce (pinfo) as it was when the share arrived. */
  nonceTooHigh: 'nonce_too_high',
  /**
   * When the share arrived, prev_height was no longer the tip (or is above the node's tip): the
   * block builds on an old tip.
   */
  staleHeight: 'stale_prev_height',
} as const;

export type RejectReason = (typeof RejectReason)[keyof typeof RejectReason];
