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

/** A line holding one of these ends at once (RecvHttpLine, net.cpp:2783-2786 @1.2.0.1, :2794-2797 @1.1.3.8). */
const LINE_END_TAGS = ['</html>', '</HTML>', '<EOF>', '<END>'];
/** A line holding one of these stops the read (GetHTTPContent, net.cpp:2882-2884 @1.1.3.8). */
const READ_STOP_TAGS = ['<END>', '</html>', '</HTML>'];
/** 1.2.0.1 also stops after a line holding lowercase `<eof>` (net.cpp:2871-2874 @1.2.0.1). */
const LOWER_EOF = '<eof>';
/** `iMaxLineSize` as GetHTTPContent passes it (net.cpp:2874 @1.1.3.8, :2863 @1.2.0.1). */
export const PLAIN_MAX_LINE = 50_000;

export interface PlainReaderRules {
  /** Stop after a line holding lowercase `<eof>`: 1.2.0.1 yes (the default), 1.1.3.8 no. */
  stopsOnLowerEof?: boolean;
}

/**
 * Classic wallets with an `http://` pool URL (`GetHTTPContent` / `RecvHttpLine`, net.cpp:2772-2900
 * @1.1.3.8, 2761-2890 @1.2.0.1): byte by byte into lines — a line ends after a CR **or** an LF (so
 * CRLF gives a line ending in CR and then one holding only LF), as soon as it holds `</html>`,
 * `</HTML>`, `<EOF>` or `<END>`, or at 50,000 bytes —, stopping after a line that holds `<END>`,
 * `</html>`, `</HTML>` (and lowercase `<eof>` in 1.2.0.1), or when the server closes.
 * Content-Length is never looked at. `text()` is the bytes read, not the wallet's "null"-prefixed
 * line buffer (the same tags either way).
 */
export class PlainHttpReader implements AnswerReader {
  readonly kind = 'http';
  endedBy: AnswerEnd | null = null;
  private readonly held: Buffer[] = [];
  private line = '';
  private readonly stopTags: string[];

  constructor(rules: PlainReaderRules = {}) {
    this.stopTags =
      rules.stopsOnLowerEof === false ? READ_STOP_TAGS : [...READ_STOP_TAGS, LOWER_EOF];
  }

  push(chunk: Buffer): boolean {
    if (this.endedBy) return true;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      this.line += String.fromCharCode(byte);
      if (
        byte === 0x0a ||
        byte === 0x0d ||
        LINE_END_TAGS.some((t) => this.line.endsWith(t)) ||
        this.line.length >= PLAIN_MAX_LINE
      ) {
        this.endLine();
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
    if (this.stopTags.some((t) => this.line.includes(t))) this.endedBy = 'terminator';
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

/** `byteLimit` overrides the HTTPS reader's limit (default 45,000 for Evo, else 50,000). */
export function createReader(
  kind: ReaderKind,
  evo = false,
  rules: PlainReaderRules & { byteLimit?: number } = {},
): AnswerReader {
  return kind === 'http'
    ? new PlainHttpReader(rules)
    : new HttpsReader(rules.byteLimit ?? (evo ? 45_000 : 50_000));
}
