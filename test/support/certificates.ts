import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** A fresh self-signed certificate for localhost (and 127.0.0.1), made with the openssl CLI. */
export function selfSigned(dir: string, name: string): { cert: string; key: string } {
  const cert = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${name}`].concat([
      '-keyout',
      key,
      '-out',
      cert,
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ]),
    { stdio: 'ignore' },
  );
  return { cert, key };
}
