import {
  Controller,
  Get,
  NotFoundException,
  Param,
  Query,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isValidAddress } from '../../biblepay/address';
import { KNOWN_NETWORKS, Network } from '../../biblepay/network';
import { AppConfig } from '../../config/app-config';
import { MinerStatsService } from './miner-stats.service';
import { PageExceptionFilter, sendPage } from './page-exception.filter';
import { PoolStatsService } from './pool-stats.service';
import { Html, html } from './views/html';
import { networkLabel } from './views/layout';
import { howToJoinPage } from './views/how-to-join-page';
import { indexPage } from './views/index-page';
import { messagePage } from './views/message-page';
import { minerPage } from './views/miner-page';
import { statisticsPage } from './views/statistics-page';

/** Longest text taken from the search box; an address is 34 characters. */
const MAX_SEARCH = 100;

/**
 * The server-rendered pages, at the original's paths (`/main/`, `/main/statistics`, …); the
 * trailing slash is optional (Fastify's ignoreTrailingSlash, set in bootstrap).
 * Data comes from the cached services, so a page costs the database nothing most of the time.
 */
@ApiExcludeController()
@UseFilters(PageExceptionFilter)
@Controller()
export class PagesController {
  constructor(
    private readonly pool: PoolStatsService,
    private readonly miners: MinerStatsService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  root(@Res() reply: FastifyReply): void {
    void reply.redirect(`/${this.config.networks[0]}/`, 302);
  }

  @Get(':network')
  async index(@Param('network') networkText: string, @Res() reply: FastifyReply): Promise<void> {
    const network = this.network(networkText);
    sendPage(reply, 200, indexPage(this.config.networks, await this.pool.summary(network), null));
  }

  /** The search box: a known miner → its page; anything else → the index with a plain answer. */
  @Get(':network/search')
  async search(
    @Param('network') networkText: string,
    @Query('address') addressParam: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const network = this.network(networkText);
    const address = (typeof addressParam === 'string' ? addressParam : '')
      .trim()
      .slice(0, MAX_SEARCH);
    const found = address ? await this.miners.find(network, address) : null;
    if (found?.kind === 'found') {
      void reply.redirect(`/${network}/miner/${address}/`, 303);
      return;
    }
    const message =
      found === null
        ? 'Enter the BiblePay address your wallet mines to (workerid=ADDRESS/WORKER).'
        : found.kind === 'invalid'
          ? this.invalidAddressMessage(network, address)
          : 'No miner with this address has asked the pool for work yet. Once your wallet mines ' +
            'with workerid=' +
            address +
            ', its shares appear here within a minute or two.';
    sendPage(
      reply,
      200,
      indexPage(this.config.networks, await this.pool.summary(network), { address, message }),
    );
  }

  @Get(':network/howtojoin')
  howToJoin(
    @Param('network') networkText: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): void {
    const network = this.network(networkText);
    sendPage(
      reply,
      200,
      howToJoinPage({
        network,
        networks: this.config.networks,
        poolUrl: this.config.poolPublicUrl ?? `${request.protocol}://${request.host}`,
        minimums: this.config.networks.map((n) => ({
          network: n,
          amount: this.config.payoutMinimum[n],
        })),
        feePercent: this.config.poolFee.percent,
      }),
    );
  }

  @Get(':network/statistics')
  async statistics(
    @Param('network') networkText: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const network = this.network(networkText);
    sendPage(reply, 200, statisticsPage(this.config.networks, await this.pool.statistics(network)));
  }

  @Get(':network/miner/:address')
  async miner(
    @Param('network') networkText: string,
    @Param('address') address: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const network = this.network(networkText);
    const found = await this.miners.overview(network, address);
    if (found.kind === 'found') {
      sendPage(
        reply,
        200,
        minerPage(
          this.config.networks,
          found.value,
          this.config.payoutMinimum[network],
          new Date(),
        ),
      );
      return;
    }
    const message: Html =
      found.kind === 'invalid'
        ? html`${this.invalidAddressMessage(network, address.slice(0, MAX_SEARCH))}`
        : html`No miner with the address <span class="mono">${address}</span> has asked the pool for
            work yet. Shares appear here within a minute or two of the first getwork.`;
    sendPage(reply, 404, messagePage(this.config.networks, network, 'Miner not found', message));
  }

  private network(text: string): Network {
    if (!this.config.serves(text)) throw new NotFoundException('unknown network');
    return text;
  }

  private invalidAddressMessage(network: Network, address: string): string {
    const other = KNOWN_NETWORKS.find((n) => n !== network && isValidAddress(n, address));
    if (other) {
      return `${address} is a ${networkLabel(other)} address; this is the ${networkLabel(network)} pool.${
        this.config.serves(other) ? ` Look it up on the ${networkLabel(other)} pool.` : ''
      }`;
    }
    return `"${address}" is not a valid BiblePay ${network} address (34 characters, starting with ${
      network === 'main' ? 'B' : 'y'
    }).`;
  }
}
