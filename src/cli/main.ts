// Operator commands: `npm run cli -- <find-blocks|shareout|payouts|release-payout|funding|audit> [options]`.
// Run with the backend's environment (DATABASE_URL, NODE_RPC_URL_<NET>, ...). Each command takes
// the same named lock as its scheduled job, so it never runs alongside a backend's own run.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { baseToCoins } from '../biblepay/amount';
import { isNetwork, Network } from '../biblepay/network';
import { AppConfig, ConfigError } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { JobSchedulerService } from '../jobs/job-scheduler.service';
import { AuditModule } from '../modules/audit/audit.module';
import { AuditService } from '../modules/audit/audit.service';
import { BlockJobsService } from '../modules/block/block-jobs.service';
import { ShareoutService } from '../modules/block/shareout.service';
import { PaymentRepository } from '../modules/payout/payment.repository';
import { PayoutService } from '../modules/payout/payout.service';

const USAGE = `usage: npm run cli -- <command> [--network main|test] [options]
  find-blocks                 walk the chain, assign rounds, update maturity and orphans
  shareout [--block H] [--dry-run]   credit mature pool blocks (or print the split)
  payouts [--dry-run]         reconcile open payments, then pay due balances (or list them)
  release-payout --address A  pay a recipient set aside after failed payments again
  funding                     required (balances + unshared pool subsidy) vs wallet
  audit                       prove the sums; exits 1 on any mismatch`;

interface Args {
  command: string;
  networks: Network[];
  dryRun: boolean;
  block?: number;
  address?: string;
}

function parseArgs(argv: string[], config: AppConfig): Args {
  const [command, ...rest] = argv;
  const args: Args = { command: command ?? '', networks: [...config.networks], dryRun: false };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    if (flag === '--dry-run') args.dryRun = true;
    else if (flag === '--network' && isNetwork(rest[i + 1] ?? '') && config.serves(rest[i + 1])) {
      args.networks = [rest[++i] as Network];
    } else if (flag === '--block' && /^\d+$/.test(rest[i + 1] ?? ''))
      args.block = Number(rest[++i]);
    else if (flag === '--address' && /^\w+$/.test(rest[i + 1] ?? '')) args.address = rest[++i];
    else throw new UsageError(`unknown or incomplete option ${flag}`);
  }
  return args;
}

class UsageError extends Error {}

const coins = (units: bigint): string => `${baseToCoins(units)} BBP`;

async function main(): Promise<number> {
  const config = new AppConfig({ ...process.env, ROLE: 'backend', RUN_BACKGROUND_WORK: 'false' });
  const args = parseArgs(process.argv.slice(2), config);
  const app = await NestFactory.createApplicationContext(
    {
      module: class CliModule {},
      imports: [ConfigModule.forRoot(config), DatabaseModule, AuditModule],
    },
    { logger: ['error', 'warn'] },
  );
  try {
    const locks = app.get(JobSchedulerService);
    let failed = false;
    for (const network of args.networks) {
      const locked = <T>(job: string, run: () => Promise<T>) =>
        locks.runNow(`${job}:${network}`, run);
      switch (args.command) {
        case 'find-blocks': {
          const result = await locked('blocks', () =>
            app.get(BlockJobsService).findBlocks(network),
          );
          print(network, result ?? 'another backend holds the lock; try again');
          break;
        }
        case 'shareout': {
          const reports = await locked('shareout', () =>
            app.get(ShareoutService).run(network, { height: args.block, dryRun: args.dryRun }),
          );
          if (!reports) print(network, 'another backend holds the lock; try again');
          for (const r of reports ?? []) {
            console.log(
              `${network} block ${r.height} (${r.scheme}): subsidy ${coins(r.subsidy)}, fee ${coins(r.fee)} to ${r.feeRecipient}, ` +
                `${r.credits.size} miners, ${r.written ? 'credited' : args.dryRun ? 'dry run, nothing written' : 'already shared'}`,
            );
            if (args.dryRun)
              for (const [miner, amount] of r.credits)
                console.log(`  miner ${miner}: ${coins(amount)}`);
          }
          if (reports?.length === 0) print(network, 'no mature pool block to share out');
          break;
        }
        case 'payouts': {
          const result = await locked('payouts', () =>
            app.get(PayoutService).run(network, { dryRun: args.dryRun }),
          );
          if (!result) print(network, 'another backend holds the lock; try again');
          else {
            console.log(
              `${network}: ${result.status}, ${result.recipients.length} miners, ${coins(result.total)}` +
                `${result.txid ? `, txid ${result.txids && result.txids.length > 1 ? result.txids.join(' ') : result.txid}` : ''}` +
                `${result.error ? ` (${result.error})` : ''}` +
                `${result.setAside?.length ? `; set aside: ${result.setAside.length} recipient(s)` : ''}; ` +
                `reconciled ${JSON.stringify(result.reconciled)}`,
            );
            for (const r of result.recipients) console.log(`  ${r.address}: ${coins(r.amount)}`);
            failed ||= result.status === 'failed';
          }
          break;
        }
        case 'release-payout': {
          if (!args.address) throw new UsageError('release-payout needs --address A');
          const released = await app.get(PaymentRepository).release(network, args.address);
          print(
            network,
            released
              ? `${args.address} released: paid again from the next payout run`
              : `${args.address} is not set aside`,
          );
          failed ||= !released;
          break;
        }
        case 'funding': {
          const f = await app.get(AuditService).funding(network);
          console.log(
            `${network}: required ${coins(f.required)}, available ${coins(f.available)}, ` +
              `${f.ok ? 'surplus' : 'SHORT BY'} ${coins(f.surplus < 0n ? -f.surplus : f.surplus)}`,
          );
          failed ||= !f.ok;
          break;
        }
        case 'audit': {
          const a = await app.get(AuditService).audit(network);
          console.log(
            `${network}: ${a.ok ? 'OK' : 'MISMATCH'}: ${a.sharedBlocks} shared blocks, credited ${coins(a.credited)} ` +
              `= subsidy − fee ${coins(a.distributable)}`,
          );
          const w = a.wallet;
          console.log(
            `  wallet received ${coins(w.received)} = credits ${coins(w.credits)} + fees ${coins(w.fees)} + ` +
              `pending ${coins(w.pending)} + reversed ${coins(w.reversed)}`,
          );
          if (a.adjustments.count > 0)
            console.log(
              `  manual adjustments (operator console): ${a.adjustments.count}, Σ ${coins(a.adjustments.total)}`,
            );
          for (const p of a.problems) console.log(`  ${p}`);
          for (const r of a.reversals) {
            console.log(
              `  note: block ${r.height} was orphaned after its shareout: ${coins(r.reversed)} taken back from balances, ` +
                `${coins(r.loss)} already paid out (pool loss)`,
            );
          }
          for (const b of a.feeOnlyBlocks) {
            console.log(`  note: block ${b.height} went entirely to the fee: ${b.reason}`);
          }
          failed ||= !a.ok;
          break;
        }
        default:
          throw new UsageError(`unknown command "${args.command}"`);
      }
    }
    return failed ? 1 : 0;
  } finally {
    await app.close();
  }
}

function print(network: string, value: unknown): void {
  console.log(`${network}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) console.error(`${error.message}\n${USAGE}`);
    else if (error instanceof ConfigError) console.error(error.message);
    else console.error(`cli failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
