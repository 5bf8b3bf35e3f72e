/**
 * The 80-byte header every serialized BiblePay block starts with (Bitcoin's layout): version,
 * previous block hash, merkle root, time, bits, nonce — integers little-endian, hashes in internal
 * byte order (reversed against the hex the node and the wallet display). The backend reads it from
 * a share's block hex to tie the share's fields to the block that pays the pool.
 */
export interface BlockHeader {
  version: number;
  /** Display hex (as `getblockhash` shows it). */
  prevHash: string;
  /** Display hex; the coinbase txid for a block with one transaction. */
  merkleRoot: string;
  /** Unix seconds. */
  time: number;
  bits: number;
  nonce: number;
}

export const HEADER_BYTES = 80;

/** Display hex ↔ internal byte order. */
function reversedHex(hex: string): Buffer {
  return Buffer.from(hex, 'hex').reverse();
}

export function encodeBlockHeader(header: BlockHeader): Buffer {
  const bytes = Buffer.alloc(HEADER_BYTES);
  bytes.writeUInt32LE(header.version >>> 0, 0);
  reversedHex(header.prevHash).copy(bytes, 4);
  reversedHex(header.merkleRoot).copy(bytes, 36);
  bytes.writeUInt32LE(header.time, 68);
  bytes.writeUInt32LE(header.bits >>> 0, 72);
  bytes.writeUInt32LE(header.nonce, 76);
  return bytes;
}

/** The header at the start of `blockHex`; null when the hex is too short or not hex. */
export function decodeBlockHeader(blockHex: string): BlockHeader | null {
  const hex = blockHex.slice(0, HEADER_BYTES * 2);
  if (hex.length < HEADER_BYTES * 2 || !/^[0-9a-fA-F]+$/.test(hex)) return null;
  const bytes = Buffer.from(hex, 'hex');
  return {
    version: bytes.readUInt32LE(0),
    prevHash: Buffer.from(bytes.subarray(4, 36)).reverse().toString('hex'),
    merkleRoot: Buffer.from(bytes.subarray(36, 68)).reverse().toString('hex'),
    time: bytes.readUInt32LE(68),
    bits: bytes.readUInt32LE(72),
    nonce: bytes.readUInt32LE(76),
  };
}
