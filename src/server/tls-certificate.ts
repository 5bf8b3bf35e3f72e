import { X509Certificate } from 'node:crypto';
import { FSWatcher, readFileSync, watch } from 'node:fs';
import path from 'node:path';
import { createSecureContext } from 'node:tls';
import { ConfigError } from '../config/app-config';

export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
}

/** The part of an HTTPS server the reloader needs (Node's `tls.Server#setSecureContext`). */
export interface SecureContextTarget {
  setSecureContext(options: TlsMaterial): void;
}

interface Log {
  log(message: string): void;
  error(message: string): void;
}

/**
 * Reads the PEM certificate (chain) and key and checks that they belong together; an unreadable or
 * mismatched pair is a ConfigError naming the variable, so a bad deploy stops at boot.
 */
export function readTlsMaterial(files: TlsFiles): TlsMaterial {
  const read = (file: string, variable: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new ConfigError(variable, `cannot be read (${(error as Error).message})`);
    }
  };
  const material = {
    cert: read(files.certFile, 'TLS_CERT_FILE'),
    key: read(files.keyFile, 'TLS_KEY_FILE'),
  };
  try {
    createSecureContext(material);
  } catch (error) {
    throw new ConfigError(
      'TLS_KEY_FILE',
      `does not fit TLS_CERT_FILE, or one of them is not PEM (${(error as Error).message})`,
    );
  }
  return material;
}

/** One line an operator can check against the renewed certificate. */
export function describeCertificate(cert: Buffer): string {
  try {
    const x509 = new X509Certificate(cert);
    return `${x509.subject.replace(/\n/g, ', ')}, valid until ${x509.validTo}, sha256 ${x509.fingerprint256}`;
  } catch {
    return 'unparsable certificate';
  }
}

/**
 * Swaps the server's certificate without a restart: on SIGHUP (`systemctl reload`) and when a file
 * in the certificate's or key's folder changes. The folders are watched, not the files, because
 * renewals replace files (certbot moves symlinks, Kubernetes swaps a `..data` link): a watch on the
 * old inode would never fire again. A pair that cannot be read or does not fit (a renewal caught
 * between writing the certificate and the key) is logged and the current one stays in service; the
 * next change event retries.
 */
export class TlsCertificateReloader {
  private current: TlsMaterial;
  private readonly watchers: FSWatcher[] = [];
  private debounce?: NodeJS.Timeout;

  constructor(
    private readonly server: SecureContextTarget,
    private readonly files: TlsFiles,
    private readonly logger: Log,
    initial: TlsMaterial,
    private readonly debounceMs = 250,
  ) {
    this.current = initial;
  }

  /** Loads the files again; returns true when a new certificate is now being served. */
  reload(reason: string): boolean {
    let next: TlsMaterial;
    try {
      next = readTlsMaterial(this.files);
    } catch (error) {
      this.logger.error(
        `TLS reload (${reason}) failed, keeping the current certificate: ${(error as Error).message}`,
      );
      return false;
    }
    if (next.cert.equals(this.current.cert) && next.key.equals(this.current.key)) return false;
    this.server.setSecureContext(next);
    this.current = next;
    this.logger.log(`TLS certificate reloaded (${reason}): ${describeCertificate(next.cert)}`);
    return true;
  }

  watch(): void {
    const folders = new Set([
      path.dirname(path.resolve(this.files.certFile)),
      path.dirname(path.resolve(this.files.keyFile)),
    ]);
    for (const folder of folders) {
      try {
        const watcher = watch(folder, { persistent: false }, () => this.scheduleReload());
        watcher.on('error', (error) =>
          this.logger.error(`TLS watch on ${folder} stopped: ${error.message}`),
        );
        this.watchers.push(watcher);
      } catch (error) {
        this.logger.error(
          `cannot watch ${folder} for certificate renewals (SIGHUP still reloads): ${(error as Error).message}`,
        );
      }
    }
  }

  close(): void {
    clearTimeout(this.debounce);
    for (const watcher of this.watchers.splice(0)) watcher.close();
  }

  private scheduleReload(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.reload('file change'), this.debounceMs);
    this.debounce.unref();
  }
}
