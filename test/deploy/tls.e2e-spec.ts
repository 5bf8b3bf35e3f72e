import { execFileSync } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { randomAddress } from '../../src/biblepay/address';
import { eventually } from '../support/harness';
import { freePort } from '../support/role-process';
import { roleEnv } from '../support/test-env';
import { extractTag, walletRequest } from '../../sim/miner/wallet-http-client';
import { runEntry, WatchedProcess, waitHealthy } from './deploy-process';
import { selfSigned } from '../support/certificates';

/** SHA-256 fingerprint of the certificate the server presents right now. */
function servedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      const fingerprint = socket.getPeerCertificate().fingerprint256;
      socket.end();
      resolve(fingerprint);
    });
    socket.on('error', reject);
  });
}

function fingerprintOf(certFile: string): string {
  const out = execFileSync('openssl', [
    'x509',
    '-in',
    certFile,
    '-noout',
    '-fingerprint',
    '-sha256',
  ]);
  return out.toString().trim().split('=')[1];
}

describe('TLS served by the frontend itself', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'purepool-tls-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const start = async (
    certFile: string,
    keyFile: string,
  ): Promise<{ proc: WatchedProcess; port: number }> => {
    const port = await freePort();
    const proc = runEntry('src/main.ts', {
      ...roleEnv('frontend'),
      HTTP_PORT: String(port),
      TLS_CERT_FILE: certFile,
      TLS_KEY_FILE: keyFile,
      LOG_LEVEL: 'info',
    });
    await waitHealthy(proc, `https://127.0.0.1:${port}`);
    return { proc, port };
  };

  it('answers a wallet getwork over HTTPS and swaps in a renewed certificate when the files change', async () => {
    const live = path.join(dir, 'live');
    execFileSync('mkdir', ['-p', live]);
    const first = selfSigned(dir, 'first');
    const certFile = path.join(live, 'fullchain.pem');
    const keyFile = path.join(live, 'privkey.pem');
    renameSync(first.cert, certFile);
    renameSync(first.key, keyFile);
    const firstFingerprint = fingerprintOf(certFile);

    const { proc, port } = await start(certFile, keyFile);
    try {
      const answer = await walletRequest({
        pool: `https://127.0.0.1:${port}`,
        action: 'readytomine2',
        miner: `${randomAddress('main')}/tls-rig`,
        network: 'main',
      });
      expect(answer.raw).toContain('Content-Length: ');
      expect(extractTag(answer.body, 'WORKID')).toMatch(/^[0-9a-f-]{36}$/);
      expect(await servedFingerprint(port)).toBe(firstFingerprint);

      // A renewal as certbot does it: new files written elsewhere, then moved over the old ones.
      const second = selfSigned(dir, 'second');
      renameSync(second.key, keyFile);
      renameSync(second.cert, certFile);
      const secondFingerprint = fingerprintOf(certFile);
      expect(secondFingerprint).not.toBe(firstFingerprint);
      expect(
        await eventually(
          () => servedFingerprint(port),
          (f) => f === secondFingerprint,
        ),
      ).toBe(secondFingerprint);
      await proc.waitForOutput(/TLS certificate reloaded \(file change\)/);
      const again = await walletRequest({
        pool: `https://127.0.0.1:${port}`,
        action: 'readytomine2',
        miner: `${randomAddress('main')}/tls-rig`,
        network: 'main',
      });
      expect(extractTag(again.body, 'WORKID')).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      proc.kill();
      await proc.exited;
    }
  });

  it('reloads on SIGHUP a certificate replaced where no watch can see it, and keeps serving meanwhile', async () => {
    // The configured paths are links into a folder the process does not watch: only SIGHUP can
    // tell it that the files behind the links changed.
    const store = path.join(dir, 'store');
    const links = path.join(dir, 'links');
    execFileSync('mkdir', ['-p', store, links]);
    const one = selfSigned(store, 'one');
    symlinkSync(one.cert, path.join(links, 'cert.pem'));
    symlinkSync(one.key, path.join(links, 'key.pem'));
    const { proc, port } = await start(path.join(links, 'cert.pem'), path.join(links, 'key.pem'));
    try {
      const oneFingerprint = await servedFingerprint(port);
      expect(oneFingerprint).toBe(fingerprintOf(one.cert));

      const two = selfSigned(store, 'two');
      writeFileSync(one.cert, execFileSync('cat', [two.cert]));
      writeFileSync(one.key, execFileSync('cat', [two.key]));
      await new Promise((r) => setTimeout(r, 1000));
      expect(await servedFingerprint(port)).toBe(oneFingerprint);

      proc.kill('SIGHUP');
      await proc.waitForOutput(/TLS certificate reloaded \(SIGHUP\)/);
      expect(await servedFingerprint(port)).toBe(fingerprintOf(two.cert));
      expect(proc.child.exitCode).toBeNull();
    } finally {
      proc.kill();
      await proc.exited;
    }
  });

  it('keeps the current certificate when a renewal is caught half-written (new certificate, old key)', async () => {
    const folder = path.join(dir, 'half');
    execFileSync('mkdir', ['-p', folder]);
    const a = selfSigned(folder, 'a');
    const { proc, port } = await start(a.cert, a.key);
    try {
      const before = await servedFingerprint(port);
      const b = selfSigned(dir, 'b');
      renameSync(b.cert, a.cert); // the key is still a's
      await proc.waitForOutput(
        /TLS reload \(file change\) failed, keeping the current certificate/,
      );
      expect(await servedFingerprint(port)).toBe(before);
      renameSync(b.key, a.key);
      expect(
        await eventually(
          () => servedFingerprint(port),
          (f) => f !== before,
        ),
      ).toBe(fingerprintOf(a.cert));
    } finally {
      proc.kill();
      await proc.exited;
    }
  });

  it('refuses to boot with a certificate file it cannot read, naming the variable (exit 2)', async () => {
    const proc = runEntry('src/main.ts', {
      ...roleEnv('frontend'),
      TLS_CERT_FILE: path.join(dir, 'missing.pem'),
      TLS_KEY_FILE: path.join(dir, 'missing.key'),
    });
    expect(await proc.exited).toBe(2);
    expect(proc.output()).toMatch(/Invalid environment: TLS_CERT_FILE cannot be read/);
  });
});
