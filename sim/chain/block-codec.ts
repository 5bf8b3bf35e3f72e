import { createHash } from 'node:crypto';
import {
  decodeBlockHeader,
  encodeBlockHeader,
  HEADER_BYTES,
} from '../../src/biblepay/block-header';
import { bibleHash, isHex64 } from './hash';

/**
 * The simulator's serialization of blocks and coinbase transactions. A block starts with the real
 * 80-byte header (version, previous hash, merkle root = the coinbase txid, time, bits, nonce), so a
 * pool reads it as it reads a real block; the rest is the simulator's own:
 *
 *   coinbase tx hex = hex( "SIMT" 0x01 <UTF-8 JSON of the coinbase> )
 *   block hex       = hex( <80-byte header> "SIMB" 0x02 <UTF-8 JSON: prev height and time, claimed
 *                          bible hash, coinbase as its tx hex, filler> )
 *
 * txid = double SHA-256 of the coinbase bytes; block hash = double SHA-256 of the 80-byte header
 * (a real node uses X11), shown byte-reversed as nodes show hashes — so a changed coinbase changes
 * the merkle root and the block hash. Amounts are base units written as decimal strings. The
 * coinbase carries output 0 (recipient and subsidy) with its messages (`<VER>`, `<MINERGUID>`),
 * and the CPID fields, absent in a block built by an "old node".
 */

const BLOCK_MAGIC = Buffer.from('SIMB\x02', 'latin1');
/** The compact target written in every simulated header (the node checks its own target). */
const SIM_BITS = 0x1e0ffff0;
const TX_MAGIC = Buffer.from('SIMT\x01', 'latin1');
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

export class SimDecodeError extends Error {}

export interface SimTxOut {
  /** Base58check address this output pays. */
  address: string;
  /** Base units. */
  value: bigint;
  /** BiblePay's per-output message (`sTxOutMessage`): `<VER>`, `<MINERGUID>`, `<cpidsig>`, ... */
  message: string;
}

/** What the node learns from a block's CPID signature (PODC era, wallets from 1.1.1.1c). */
export interface SimCpid {
  cpid: string;
  signature: string;
  signatureValid: boolean;
  legal: boolean;
  /** Why the CPID may not solve this block, e.g. `CPID_SOLVED_RECENT_BLOCK`; "" when legal. */
  legalityNarr: string;
}

export interface SimCoinbaseTx {
  version: number;
  /** Height of the block this coinbase belongs to (BIP34). */
  height: number;
  /** Varied by a miner that ran out of nonces, as real miners do. */
  extraNonce: number;
  outputs: SimTxOut[];
  /** Absent in a block built by an old node (before CPID signatures existed). */
  cpid?: SimCpid;
}

export interface SimBlockHeader {
  version: number;
  prevHash: string;
  prevHeight: number;
  time: number;
  prevTime: number;
  nonce: number;
}

export interface SimBlock {
  header: SimBlockHeader;
  /** Double SHA-256 of the header fields and the coinbase txid. */
  hash: string;
  /** Bible hash the miner claims for this block (the node recomputes its own). */
  bibleHash: string;
  coinbase: SimCoinbaseTx;
  /** Opaque filler standing in for the other transactions, to make block hex as large as real. */
  filler?: string;
}

export interface DecodedBlock extends SimBlock {
  txid: string;
  coinbaseHex: string;
}

export function computeTxid(coinbaseHex: string): string {
  return doubleSha256(Buffer.from(coinbaseHex, 'hex')).toString('hex');
}

function doubleSha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(createHash('sha256').update(data).digest()).digest();
}

/** The 80 header bytes of a block whose only transaction has `txid`. */
export function headerBytes(header: SimBlockHeader, txid: string): Buffer {
  return encodeBlockHeader({
    version: header.version,
    prevHash: header.prevHash,
    merkleRoot: txid,
    time: header.time,
    bits: SIM_BITS,
    nonce: header.nonce,
  });
}

export function computeBlockHash(header: SimBlockHeader, txid: string): string {
  return doubleSha256(headerBytes(header, txid)).reverse().toString('hex');
}

/** The block hash for each nonce of one header and coinbase, without rebuilding the header. */
export function nonceHasher(header: SimBlockHeader, txid: string): (nonce: number) => string {
  const bytes = headerBytes(header, txid);
  return (nonce) => {
    bytes.writeUInt32LE(nonce, 76);
    return doubleSha256(bytes).reverse().toString('hex');
  };
}

/** The honest bible hash of a block: its hash, time and nonce over its stated previous block. */
export function blockBibleHash(header: SimBlockHeader, hash: string): string {
  return bibleHash({
    blockHash: hash,
    blockTime: header.time,
    prevBlockTime: header.prevTime,
    prevHeight: header.prevHeight,
    nonce: header.nonce,
  });
}

export function encodeCoinbaseTx(tx: SimCoinbaseTx): string {
  const body = {
    version: tx.version,
    height: tx.height,
    extraNonce: tx.extraNonce,
    outputs: tx.outputs.map((out) => ({
      address: out.address,
      value: out.value.toString(),
      message: out.message,
    })),
    cpid: tx.cpid && {
      cpid: tx.cpid.cpid,
      signature: tx.cpid.signature,
      signatureValid: tx.cpid.signatureValid,
      legal: tx.cpid.legal,
      legalityNarr: tx.cpid.legalityNarr,
    },
  };
  return Buffer.concat([TX_MAGIC, Buffer.from(JSON.stringify(body), 'utf8')]).toString('hex');
}

/** Block with its hash computed; `bibleHash` defaults to the honest one. */
export function assembleBlock(parts: {
  header: SimBlockHeader;
  coinbase: SimCoinbaseTx;
  bibleHash?: string;
  filler?: string;
}): DecodedBlock {
  const coinbaseHex = encodeCoinbaseTx(parts.coinbase);
  const txid = computeTxid(coinbaseHex);
  const hash = computeBlockHash(parts.header, txid);
  return {
    header: { ...parts.header },
    hash,
    bibleHash: parts.bibleHash ?? blockBibleHash(parts.header, hash),
    coinbase: parts.coinbase,
    filler: parts.filler,
    txid,
    coinbaseHex,
  };
}

/**
 * The header's merkle root is `block.txid` when the block carries one (so a coinbase changed after
 * the fact no longer matches it, as in a real block), else the txid of its coinbase.
 */
export function encodeBlock(block: SimBlock & { txid?: string }): string {
  const coinbaseHex = encodeCoinbaseTx(block.coinbase);
  const txid = block.txid ?? computeTxid(coinbaseHex);
  const body = {
    prevHeight: block.header.prevHeight,
    prevTime: block.header.prevTime,
    bibleHash: block.bibleHash,
    coinbase: coinbaseHex,
    filler: block.filler,
  };
  return (
    headerBytes(block.header, txid).toString('hex') +
    Buffer.concat([BLOCK_MAGIC, Buffer.from(JSON.stringify(body), 'utf8')]).toString('hex')
  );
}

export function decodeCoinbaseTx(hex: string): SimCoinbaseTx & { txid: string } {
  const body = readEnvelope(hex, TX_MAGIC, 'transaction');
  const outputs = field(body, 'outputs', 'array').map((item, index) => {
    const out = asObject(item, `outputs[${index}]`);
    const value = field(out, 'value', 'string');
    if (!/^\d{1,20}$/.test(value)) throw new SimDecodeError(`outputs[${index}].value`);
    return {
      address: field(out, 'address', 'string'),
      value: BigInt(value),
      message: field(out, 'message', 'string'),
    };
  });
  if (outputs.length === 0) throw new SimDecodeError('coinbase has no outputs');
  const tx: SimCoinbaseTx & { txid: string } = {
    version: integer(body, 'version'),
    height: integer(body, 'height'),
    extraNonce: integer(body, 'extraNonce'),
    outputs,
    txid: computeTxid(hex.toLowerCase()),
  };
  if (body.cpid !== undefined) {
    const cpid = asObject(body.cpid, 'cpid');
    tx.cpid = {
      cpid: field(cpid, 'cpid', 'string'),
      signature: field(cpid, 'signature', 'string'),
      signatureValid: field(cpid, 'signatureValid', 'boolean'),
      legal: field(cpid, 'legal', 'boolean'),
      legalityNarr: field(cpid, 'legalityNarr', 'string'),
    };
  }
  return tx;
}

/** Throws {@link SimDecodeError} on anything that is not a well-formed, self-consistent block. */
export function decodeBlock(hex: string): DecodedBlock {
  const head = typeof hex === 'string' ? decodeBlockHeader(hex) : null;
  if (!head) throw new SimDecodeError('block is shorter than a header or not hex');
  const body = readEnvelope(hex.slice(HEADER_BYTES * 2), BLOCK_MAGIC, 'block');
  const header: SimBlockHeader = {
    version: head.version,
    prevHash: head.prevHash,
    prevHeight: integer(body, 'prevHeight'),
    time: head.time,
    prevTime: integer(body, 'prevTime'),
    nonce: head.nonce,
  };
  const coinbaseHex = field(body, 'coinbase', 'string').toLowerCase();
  const coinbase = decodeCoinbaseTx(coinbaseHex);
  if (head.merkleRoot !== coinbase.txid) {
    throw new SimDecodeError('merkle root does not match the coinbase');
  }
  const hash = computeBlockHash(header, coinbase.txid);
  const filler = body.filler === undefined ? undefined : field(body, 'filler', 'string');
  const { txid, ...tx } = coinbase;
  return {
    header,
    hash,
    bibleHash: hash64(body, 'bibleHash'),
    coinbase: tx,
    filler,
    txid,
    coinbaseHex,
  };
}

export { extractXml } from '../../src/biblepay/xml-tag';

/** The coinbase message a BiblePay wallet writes: version, pool miner id, CPID signature. */
export function buildBlockMessage(parts: {
  walletVersion: string;
  minerGuid?: string;
  cpid?: SimCpid;
}): string {
  let message = `<VER>${parts.walletVersion}</VER>`;
  if (parts.minerGuid !== undefined) message += `<MINERGUID>${parts.minerGuid}</MINERGUID>`;
  if (parts.cpid) message += `<cpidsig>${parts.cpid.cpid};${parts.cpid.signature}</cpidsig>`;
  return message;
}

/** All output messages joined, as `hexblocktocoinbase` reports `blockmessage`. */
export function coinbaseMessage(tx: SimCoinbaseTx): string {
  return tx.outputs.map((out) => out.message).join('');
}

type Json = Record<string, unknown>;

function readEnvelope(hex: string, magic: Buffer, what: string): Json {
  if (typeof hex !== 'string' || hex.length === 0 || !HEX.test(hex)) {
    throw new SimDecodeError(`${what} is not hex`);
  }
  const bytes = Buffer.from(hex, 'hex');
  if (bytes.length < magic.length || !bytes.subarray(0, magic.length).equals(magic)) {
    throw new SimDecodeError(`not a simulated ${what}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.subarray(magic.length).toString('utf8'));
  } catch {
    throw new SimDecodeError(`${what} body is not JSON`);
  }
  return asObject(parsed, what);
}

function asObject(value: unknown, name: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SimDecodeError(`${name} must be an object`);
  }
  return value as Json;
}

function field(body: Json, name: string, type: 'string'): string;
function field(body: Json, name: string, type: 'boolean'): boolean;
function field(body: Json, name: string, type: 'array'): unknown[];
function field(body: Json, name: string, type: 'string' | 'boolean' | 'array'): unknown {
  const value = body[name];
  const ok = type === 'array' ? Array.isArray(value) : typeof value === type;
  if (!ok) throw new SimDecodeError(`${name} must be a ${type}`);
  return value;
}

function integer(body: Json, name: string): number {
  const value = body[name];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new SimDecodeError(`${name} must be a non-negative integer`);
  }
  return value;
}

function hash64(body: Json, name: string): string {
  const value = field(body, name, 'string');
  if (!isHex64(value)) throw new SimDecodeError(`${name} must be 64 lower-case hex`);
  return value;
}
