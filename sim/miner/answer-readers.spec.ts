import { errorBody, solutionAcceptedBody, workBody } from '../../src/biblepay/pool-protocol';
import { AnswerReader, HttpsReader, PlainHttpReader } from './answer-readers';
import { extractTag } from './wallet-http-client';

/** What the frontend writes: status line, Content-Length last, body (protocol-answer.ts). */
function answer(body: string, extraHeaders = ''): string {
  return (
    'HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nConnection: close\r\n' +
    `${extraHeaders}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

/** Feeds `text` in reads of `size` bytes; returns how the reader ended (null: still waiting). */
function feed(reader: AnswerReader, text: string, size = Infinity): AnswerReader['endedBy'] {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += Math.min(size, bytes.length)) {
    if (reader.push(bytes.subarray(at, at + Math.min(size, bytes.length)))) break;
  }
  return reader.endedBy;
}

const work = workBody({
  address: 'B5tWpb8K1S7NmH4Zx5rNN1Sk7DnU1tTzSx',
  hashTarget: '0'.repeat(4) + 'f'.repeat(60),
  minerGuid: 'guid',
  workId: 'work-1',
});
const answers = {
  work,
  ok: solutionAcceptedBody('work-1'),
  error: errorBody('Invalid network'),
};

describe('the plain-HTTP reader (classic wallets, http://)', () => {
  it.each(Object.entries(answers))('stops on the terminator of the %s answer', (_, body) => {
    for (const size of [1, 7, Infinity]) {
      const reader = new PlainHttpReader();
      expect(feed(reader, answer(body), size)).toBe('terminator');
      expect(reader.text()).toContain('</RESPONSE>');
    }
  });

  it('keeps every tag of the work answer', () => {
    const reader = new PlainHttpReader();
    feed(reader, answer(work));
    expect(extractTag(reader.text(), 'WORKID')).toBe('work-1');
    expect(extractTag(reader.text(), 'MINERGUID')).toBe('guid');
  });

  it('waits on the answers the pool used to send: no terminator line, Content-Length ignored', () => {
    const oldWork = work.slice(0, work.indexOf('</RESPONSE>') + '</RESPONSE>'.length);
    const oldError = '<RESPONSE>x</RESPONSE><ERROR>x</ERROR><EOF>';
    for (const body of [oldWork, oldError]) {
      const reader = new PlainHttpReader();
      expect(feed(reader, answer(body))).toBeNull();
      reader.stop('timeout');
      expect(reader.endedBy).toBe('timeout');
    }
  });

  it('ends a line at uppercase <EOF> without stopping, and stops on lowercase <eof> (1.2.0.1)', () => {
    expect(feed(new PlainHttpReader(), 'a<EOF>b')).toBeNull();
    expect(feed(new PlainHttpReader(), 'a<eof>\r')).toBe('terminator');
    // 1.1.3.8 has no <eof> rule (net.cpp:2882-2884 @1.1.3.8).
    expect(feed(new PlainHttpReader({ stopsOnLowerEof: false }), 'a<eof>\r\n')).toBeNull();
  });

  it('ends a line at LF as at CR, and stops at once on a line holding </html>, </HTML> or <END>', () => {
    expect(feed(new PlainHttpReader(), 'a\n<eof>\n')).toBe('terminator');
    for (const tag of ['</html>', '</HTML>', '<END>']) {
      const reader = new PlainHttpReader();
      expect(feed(reader, `x${tag}rest\r\n`)).toBe('terminator');
      expect(reader.text()).toBe(`x${tag}`);
    }
  });

  it('cuts a line at 50,000 bytes: a tag split by the cut is not seen', () => {
    const fits = 'x'.repeat(50_000 - '<END>'.length);
    expect(feed(new PlainHttpReader(), `${fits}<END>`, 4096)).toBe('terminator');
    expect(feed(new PlainHttpReader(), `${fits}x<END>\r`, 4096)).toBeNull();
  });
});

describe('the HTTPS reader (classic https://, Evo)', () => {
  it.each(Object.entries(answers))('stops on the terminator of the %s answer', (_, body) => {
    for (const size of [1, 13, Infinity]) {
      expect(feed(new HttpsReader(), answer(body), size)).toBe('terminator');
    }
  });

  it('stops by the Content-Length rule on an answer without terminator', () => {
    const reader = new HttpsReader();
    expect(feed(reader, answer('<RESPONSE>plain</RESPONSE>'))).toBe('content-length');
    expect(reader.text().endsWith('<RESPONSE>plain</RESPONSE>')).toBe(true);
  });

  it('stops before the body when headers follow Content-Length in a read of their own', () => {
    const body = '<RESPONSE><STATUS>ok</STATUS></RESPONSE>';
    const length = Buffer.byteLength(body);
    const headers =
      `HTTP/1.1 200 OK\r\nContent-Length: ${length}\r\nDate: Tue, 01 Dec 2026 20:37:28 GMT\r\n` +
      'Keep-Alive: timeout=65\r\nConnection: keep-alive\r\n\r\n';
    const reader = new HttpsReader();
    expect(reader.push(Buffer.from(headers))).toBe(true);
    expect(reader.endedBy).toBe('content-length');
    expect(extractTag(reader.text(), 'STATUS')).toBe('');
  });

  it('stops at its byte limit (45,000 in Evo)', () => {
    const reader = new HttpsReader(45_000);
    expect(feed(reader, 'x'.repeat(60_000), 8192)).toBe('byte-limit');
    expect(reader.text()).toHaveLength(45_000);
  });
});
