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
  /** bible hash > the work's hash target (equality is accepted, as the wallet sends it). */
  aboveTarget: 'above_target',
  /** This bible hash was accepted before. */
  duplicate: 'duplicate_bible_hash',
  /** The node's `exec biblehash` of the five inputs is a different hash. */
  bibleHashMismatch: 'biblehash_mismatch',
  /** `exec hexblocktocoinbase` could not decode the block. */
  coinbaseUndecodable: 'coinbase_undecodable',
  /** Coinbase output 0 does not pay the pool's address of that network. */
  wrongRecipient: 'wrong_recipient',
  /** The node did not report CPID fields (an old node): legality cannot be checked. */
  cpidUnknown: 'cpid_unknown',
  cpidSignatureInvalid: 'cpid_signature_invalid',
  cpidIllegal: 'cpid_illegal',
  /** nonce > the node's current max nonce (pinfo). */
  nonceTooHigh: 'nonce_too_high',
  /** prev_height is not the node's current height: the block builds on an old tip. */
  staleHeight: 'stale_prev_height',
} as const;

export type RejectReason = (typeof RejectReason)[keyof typeof RejectReason];
