/**
 * The BiblePay wallet's two answer readers (docs/PROTOCOL.md, "How a wallet reads an answer"). They
 * never parse HTTP; each decides from raw bytes when to stop reading.
 */
export type ReaderKind = 'http' | 'https';

/** Why a reader stopped. Only the first two are a pool answering well. */
export type AnswerEnd = 'terminator' | 'content-length' | 'byte-limit' | 'close' | 'timeout';

/** A wallet that stopped for any other reason waited for the server, or lost bytes. */
export function endedPromptly(end: AnswerEnd | null): boolean {
  return end === 'terminator' || end === 'content-length';
}

export interface AnswerReader {
  readonly kind: ReaderKind;
  /** One read from the socket; true once the reader has stopped. */
  push(chunk: Buffer): boolean;
  /** The server closed, or the wallet's time ran out: the reader keeps what it has. */
  stop(end: 'close' | 'timeout'): void;
  readonly endedBy: AnswerEnd | null;
  /** The bytes the wallet holds when it stops, headers included. */
  text(): string;
}

/** A line holding one of these stops the plain-HTTP reader. */
const LINE_TERMINATORS = ['<END>', '</html>', '</HTML>', '<eof>'];
/** Uppercase `<EOF>` ends a line (and only the line). */
const LINE_END_TAG = '<EOF>';
/** The line reader comes from Bitcoin's RecvLine, which cuts a line at 9,000 characters. */
const MAX_LINE = 9000;

/**
 * Classic wallets with an `http://` pool URL (`GetHTTPContent` / `RecvHttpLine`): byte by byte into
 * lines — LF skipped, CR or `<EOF>` ends a line —, stopping only on a line that holds a terminator,
 * or when the server closes. Content-Length is never looked at.
 */
export class PlainHttpReader implements AnswerReader {
  readonly kind = 'http';
  endedBy: AnswerEnd | null = null;
  private readonly held: Buffer[] = [];
  private line = '';

  push(chunk: Buffer): boolean {
    if (this.endedBy) return true;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === 0x0a) continue;
      if (byte === 0x0d) this.endLine();
      else {
        this.line += String.fromCharCode(byte);
        if (this.line.endsWith(LINE_END_TAG) || this.line.length >= MAX_LINE) this.endLine();
      }
      if (this.endedBy) {
        this.held.push(chunk.subarray(0, i + 1));
        return true;
      }
    }
    this.held.push(chunk);
    return false;
  }

  stop(end: 'close' | 'timeout'): void {
    this.endedBy ??= end;
  }

  text(): string {
    return Buffer.concat(this.held).toString('utf8');
  }

  private endLine(): void {
    if (LINE_TERMINATORS.some((t) => this.line.includes(t))) this.endedBy = 'terminator';
    this.line = '';
  }
}

const BUFFER_TERMINATORS = ['</html>', '</HTML>', '<EOF>', '<END>'];
const CONTENT_LENGTH = 'Content-Length: ';

/**
 * `BiblepayHTTPSPost` (classic wallets with `https://`, every Evo wallet): after each read, stops on
 * a terminator anywhere in the buffer, on the literal header `Content-Length: N` once
 * N + (offset of that header) + 15 bytes are in, at the byte limit (50,000; 45,000 in Evo), or on
 * close.
 */
export class HttpsReader implements AnswerReader {
  readonly kind = 'https';
  endedBy: AnswerEnd | null = null;
  private buffer = Buffer.alloc(0);

  constructor(private readonly byteLimit = 50_000) {}

  push(chunk: Buffer): boolean {
    if (this.endedBy) return true;
    this.buffer = Buffer.concat([this.buffer, chunk]);
    if (this.buffer.length >= this.byteLimit) {
      this.buffer = this.buffer.subarray(0, this.byteLimit);
      this.endedBy = 'byte-limit';
      return true;
    }
    const text = this.buffer.toString('latin1');
    if (BUFFER_TERMINATORS.some((t) => text.includes(t))) this.endedBy = 'terminator';
    else {
      // The value counts once its line has ended (the wallet cuts it up to the line break).
      const at = text.indexOf(CONTENT_LENGTH);
      const value = at < 0 ? null : /^(\d+)\r?\n/.exec(text.slice(at + CONTENT_LENGTH.length));
      if (value && this.buffer.length >= Number(value[1]) + at + 15) {
        this.endedBy = 'content-length';
      }
    }
    return this.endedBy !== null;
  }

  stop(end: 'close' | 'timeout'): void {
    this.endedBy ??= end;
  }

  text(): string {
    return this.buffer.toString('utf8');
  }
}

export function createReader(kind: ReaderKind, evo = false): AnswerReader {
  return kind === 'http' ? new PlainHttpReader() : new HttpsReader(evo ? 45_000 : 50_000);
}
