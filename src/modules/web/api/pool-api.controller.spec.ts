import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { randomAddress } from '../../../biblepay/address';
import { AppConfig } from '../../../config/app-config';
import { MinerStatsService } from '../miner-stats.service';
import { PoolStatsService } from '../pool-stats.service';
import { CompatApiController } from './compat-api.controller';
import { PoolApiController } from './pool-api.controller';

describe('API parameters through Nest (guard, ValidationPipe, filter)', () => {
  let app: NestFastifyApplication;
  let base: string;
  const miners = { find: jest.fn(), payments: jest.fn(), sharesPerHour: jest.fn() };
  const stats = { subsidySum: jest.fn() };

  beforeAll(async () => {
    const config = new AppConfig({
      ROLE: 'frontend',
      DATABASE_URL: 'mysql://u:p@127.0.0.1:3306/db',
      AMQP_URL: 'amqp://u:p@127.0.0.1:5672/v',
      POOL_ADDRESS_MAIN: randomAddress('main'),
    });
    const module = await Test.createTestingModule({
      controllers: [PoolApiController, CompatApiController],
      providers: [
        { provide: PoolStatsService, useValue: stats },
        { provide: MinerStatsService, useValue: miners },
        { provide: AppConfig, useValue: config },
      ],
    }).compile();
    app = module.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
      logger: false,
    });
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    base = typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : '';
  });

  afterAll(() => app.close());

  const get = async (url: string) => {
    const res = await fetch(`${base}${url}`);
    return { status: res.status, body: (await res.json()) as { message: string } };
  };

  it('judges the network first (404), then the address, then the query (400)', async () => {
    expect(await get('/api/v1/pools/test/miners/x/payments?page=0')).toMatchObject({
      status: 404,
      body: { message: 'network "test" is not served here (served: main)' },
    });
    for (const sub of ['payments?page=0', 'shares?hours=0']) {
      expect(await get(`/api/v1/pools/main/miners/x/${sub}`)).toMatchObject({
        status: 400,
        body: { message: 'address is not a valid BiblePay main address' },
      });
    }
    expect(await get(`/api/v1/pools/main/miners/${randomAddress('main')}/payments?page=0`)).toEqual(
      {
        status: 400,
        body: {
          statusCode: 400,
          error: 'Bad Request',
          message: 'page must be an integer from 1 to 100000',
        },
      },
    );
    expect(miners.find).not.toHaveBeenCalled();
  });

  it('hands the handler typed values with the defaults applied', async () => {
    miners.find.mockResolvedValue({ kind: 'found', value: { id: 1 } });
    miners.sharesPerHour.mockResolvedValue([]);
    stats.subsidySum.mockResolvedValue({ sum: null, count: 0 });
    const address = randomAddress('main');
    expect((await get(`/api/v1/pools/main/miners/${address}/shares`)).status).toBe(200);
    expect(miners.sharesPerHour).toHaveBeenCalledWith({ id: 1 }, 24);
    expect((await get('/main/api/block_subsidysum/%2030%20')).status).toBe(200);
    expect(stats.subsidySum).toHaveBeenCalledWith('main', 30);
  });
});
