import bs58check from 'bs58check';
import type mysql from 'mysql2/promise';
import { encodeAddress, randomAddress } from '../../src/biblepay/address';
import { DEFAULT_HASH_TARGET } from '../../src/config/app-config';
import { extractTag, sendRaw, walletRequest } from '../../sim/miner/wallet-http-client';
import { adminDb, RunningApp, startRole } from '../support/harness';
import { poolAddresses } from '../support/test-env';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('getwork (readytomine2) over the wallet protocol', () => {
  let frontend: RunningApp;
  let db: mysql.Connection;

  beforeAll(async () => {
    frontend = await startRole('frontend');
    db = await adminDb();
  });
  afterAll(async () => {
    await frontend.close();
    await db.end();
  });

  // The HTTPS reader keeps the whole answer (the plain-HTTP one stops inside the last line).
  const getwork = (
    miner: string,
    network = 'main',
    extra: Partial<Parameters<typeof walletRequest>[0]> = {},
  ) =>
    walletRequest({
      pool: frontend.url,
      action: 'readytomine2',
      miner,
      network,
      reader: 'https',
      ...extra,
    });

  const expectError = (raw: string, message: string): void => {
    expect(raw).toContain(`<RESPONSE>${message}</RESPONSE><ERROR>${message}</ERROR><EOF>`);
  };

  it('answers work byte for byte as docs/PROTOCOL.md, with a literal Content-Length header', async () => {
    const address = randomAddress('main');
    const res = await getwork(`${address}/rig1`);
    expect(res.raw).toContain('\r\nContent-Length: ');
    expect(res.raw.toLowerCase()).not.toContain('transfer-encoding');
    const workId = extractTag(res.raw, 'WORKID');
    const minerGuid = extractTag(res.raw, 'MINERGUID');
    expect(workId).toMatch(UUID);
    expect(minerGuid).toMatch(UUID);
    expect(res.body).toBe(
      `<RESPONSE> <ADDRESS>${poolAddresses().main}</ADDRESS><HASHTARGET>${DEFAULT_HASH_TARGET}</HASHTARGET>` +
        `<MINERGUID>${minerGuid}</MINERGUID><WORKID>${workId}</WORKID></RESPONSE>` +
        '<END></HTML><EOF></EOF>\r\n',
    );
    const length = Number(/Content-Length: (\d+)/.exec(res.raw)![1]);
    expect(Buffer.byteLength(res.body)).toBe(length);

    const [[work]] = await db.query<mysql.RowDataPacket[]>(
      'SELECT w.network, w.thread_id, w.hash_target, w.ip, w.os, w.agent, k.name, m.address, m.guid FROM work w ' +
        'JOIN worker k ON k.id = w.worker_id JOIN miner m ON m.id = w.miner_id WHERE w.id = ?',
      [workId],
    );
    expect(work).toMatchObject({
      network: 'main',
      thread_id: 0,
      hash_target: DEFAULT_HASH_TARGET,
      ip: '127.0.0.1',
      os: 'LIN',
      agent: '1.1.9.3',
      name: 'rig1',
      address,
      guid: minerGuid,
    });
  });

  it('gives the same miner GUID on every getwork and names an empty worker Default', async () => {
    const address = randomAddress('test');
    const first = await getwork(address, 'test');
    const second = await getwork(`${address}/`, 'test');
    expect(extractTag(first.raw, 'MINERGUID')).toBe(extractTag(second.raw, 'MINERGUID'));
    expect(extractTag(first.raw, 'ADDRESS')).toBe(poolAddresses().test);
    const [rows] = await db.query<mysql.RowDataPacket[]>(
      'SELECT k.name FROM worker k JOIN miner m ON m.id = k.miner_id WHERE m.address = ?',
      [address],
    );
    expect(rows.map((r) => r.name as string)).toEqual(['Default']);
  });

  it('stores the optional e-mail of ADDRESS/WORKER/EMAIL', async () => {
    const address = randomAddress('main');
    const res = await getwork(`${address}/rig/me@example.org`);
    expect(extractTag(res.raw, 'WORKID')).toMatch(UUID);
    const [[row]] = await db.query<mysql.RowDataPacket[]>(
      'SELECT email FROM miner WHERE address = ?',
      [address],
    );
    expect(row.email).toBe('me@example.org');
  });

  it('answers GET on /Action.aspx too, as the original routed every method', async () => {
    const res = await getwork(randomAddress('main'), 'main', { method: 'GET' });
    expect(extractTag(res.raw, 'WORKID')).toMatch(UUID);
  });

  it('reads header names case-insensitively', async () => {
    const address = randomAddress('main');
    const payload =
      'POST /Action.aspx HTTP/1.1\r\nhost: pool\r\ncontent-length: 12\r\nACTION: readytomine2\r\n' +
      `miner: ${address}\r\nNETWORKID: main\r\nthreadid: 3\r\n\r\nreadytomine2`;
    const res = await sendRaw(frontend.url, payload);
    const [[work]] = await db.query<mysql.RowDataPacket[]>(
      'SELECT thread_id FROM work WHERE id = ?',
      [extractTag(res.raw, 'WORKID')],
    );
    expect(work.thread_id).toBe(3);
  });

  it('refuses an unknown action in the protocol error format', async () => {
    const res = await walletRequest({
      pool: frontend.url,
      action: 'mineharder',
      miner: 'x',
      network: 'main',
    });
    expectError(res.raw, 'UNKNOWN ACTION mineharder');
    expect(res.raw).toContain('\r\nContent-Length: ');
  });

  it('refuses a network the pool does not serve', async () => {
    expectError((await getwork(randomAddress('main'), 'regtest')).raw, 'Invalid network');
  });

  it('refuses a missing worker id', async () => {
    expectError((await getwork('')).raw, 'WorkerID is missing');
  });

  it('refuses a worker id that is not an address', async () => {
    expectError((await getwork('notanaddress/rig')).raw, 'WorkerID notanaddress/rig is invalid');
  });

  it('refuses an address with a bad checksum', async () => {
    const good = encodeAddress('main', new Uint8Array(20).fill(9));
    const bad = good.slice(0, -1) + (good.endsWith('1') ? '2' : '1');
    expectError((await getwork(bad)).raw, `WorkerID ${bad} is invalid`);
  });

  it("refuses the other network's address", async () => {
    const testnet = randomAddress('test');
    expectError((await getwork(testnet, 'main')).raw, `WorkerID ${testnet} is invalid`);
  });

  it('refuses a base58check payload of the wrong version byte', async () => {
    const payload = new Uint8Array(21);
    payload[0] = 0; // a bitcoin address, valid checksum
    const bitcoin = bs58check.encode(payload);
    expectError((await getwork(bitcoin)).raw, `WorkerID ${bitcoin} is invalid`);
  });

  it('refuses a disabled miner', async () => {
    const address = randomAddress('main');
    await db.query(
      "INSERT INTO miner (guid, network, address, disabled, created_at) VALUES (UUID(), 'main', ?, 1, NOW(3))",
      [address],
    );
    expectError((await getwork(`${address}/rig`)).raw, `Miner ${address} is disabled`);
  });

  it('hands out the hash target the rating job set for a miner', async () => {
    const address = randomAddress('main');
    const rated = '00000aaaa0000000000000000000000000000000000000000000000000000000';
    await db.query(
      "INSERT INTO miner (guid, network, address, hash_target, created_at) VALUES (UUID(), 'main', ?, ?, NOW(3))",
      [address, rated],
    );
    const res = await getwork(address);
    expect(extractTag(res.raw, 'HASHTARGET')).toBe(rated);
    const [[work]] = await db.query<mysql.RowDataPacket[]>(
      'SELECT hash_target FROM work WHERE id = ?',
      [extractTag(res.raw, 'WORKID')],
    );
    expect(work.hash_target).toBe(rated);
  });

  it('accepts request headers of 64 KiB (block hex travels in a header)', async () => {
    const res = await getwork(randomAddress('main'), 'main', {
      extraHeaders: { 'X-Padding': 'a'.repeat(64 * 1024) },
    });
    expect(extractTag(res.raw, 'WORKID')).toMatch(UUID);
  });
});
