import { BadRequestException, ExecutionContext, NotFoundException } from '@nestjs/common';
import { randomAddress } from '../../../biblepay/address';
import { AppConfig } from '../../../config/app-config';
import { apiValidationPipe, ServedNetworkGuard } from './api-validation';
import { BlocksQueryDto, MinerPathDto, SharesQueryDto, SubsidySumPathDto } from './params.dto';

const pipe = apiValidationPipe();
const query = <T>(metatype: new () => T, value: object): Promise<T> =>
  pipe.transform(value, { type: 'query', metatype }) as Promise<T>;
const path = <T>(metatype: new () => T, value: object): Promise<T> =>
  pipe.transform(value, { type: 'param', metatype }) as Promise<T>;

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error: unknown = await promise.then(
    () => new Error('accepted'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BadRequestException);
  return (error as BadRequestException).message;
}

describe('API parameter DTOs (ValidationPipe)', () => {
  it('applies the defaults and reads integers in range, spaces trimmed', async () => {
    expect(await query(BlocksQueryDto, {})).toEqual({ page: 1, pageSize: 20, pool: true });
    expect(await query(BlocksQueryDto, { page: '7', pageSize: ' 100 ', pool: '0' })).toEqual({
      page: 7,
      pageSize: 100,
      pool: false,
    });
    expect(await query(SharesQueryDto, { hours: '168' })).toEqual({ hours: 168 });
  });

  it.each([
    ['0'],
    ['101'],
    ['-1'],
    ['1.5'],
    ['1e2'],
    ['0x10'],
    ['abc'],
    [''],
    ['9999999999'],
    [['1', '2']],
  ])('refuses pageSize=%p with a 400 naming the parameter', async (value) => {
    expect(await refusal(query(BlocksQueryDto, { pageSize: value }))).toBe(
      'pageSize must be an integer from 1 to 100',
    );
  });

  it('reports the first bad parameter in the order page, pageSize, pool', async () => {
    expect(await refusal(query(BlocksQueryDto, { page: '0', pageSize: '0' }))).toBe(
      'page must be an integer from 1 to 100000',
    );
    expect(await refusal(query(BlocksQueryDto, { pool: 'yes' }))).toBe(
      'pool must be true or false',
    );
  });

  it('ignores query parameters it does not know', async () => {
    expect(await query(SharesQueryDto, { 'hours[]': '1', other: 'x' })).toEqual({ hours: 24 });
  });

  it('requires days on the compatibility path', async () => {
    expect(await path(SubsidySumPathDto, { network: 'main', days: '30' })).toEqual({
      network: 'main',
      days: 30,
    });
    expect(await refusal(path(SubsidySumPathDto, { network: 'main', days: '0' }))).toBe(
      'days must be an integer from 1 to 3650',
    );
  });

  it('takes an address of the path’s network only', async () => {
    const main = randomAddress('main');
    expect(await path(MinerPathDto, { network: 'main', address: main })).toEqual({
      network: 'main',
      address: main,
    });
    expect(
      await refusal(path(MinerPathDto, { network: 'main', address: randomAddress('test') })),
    ).toBe('address is not a valid BiblePay main address');
    expect(await refusal(path(MinerPathDto, { network: 'test', address: main }))).toBe(
      'address is not a valid BiblePay test address',
    );
  });
});

describe('ServedNetworkGuard', () => {
  const config = new AppConfig({
    ROLE: 'frontend',
    DATABASE_URL: 'mysql://u:p@127.0.0.1:3306/db',
    AMQP_URL: 'amqp://u:p@127.0.0.1:5672/v',
    POOL_ADDRESS_MAIN: randomAddress('main'),
  });
  const guard = new ServedNetworkGuard(config);
  const withParams = (params: object) =>
    ({ switchToHttp: () => ({ getRequest: () => ({ params }) }) }) as unknown as ExecutionContext;

  it('lets a served network (or a route without one) through and answers 404 for any other', () => {
    expect(guard.canActivate(withParams({ network: 'main' }))).toBe(true);
    expect(guard.canActivate(withParams({}))).toBe(true);
    expect(() => guard.canActivate(withParams({ network: 'test' }))).toThrow(NotFoundException);
    expect(() => guard.canActivate(withParams({ network: 'test' }))).toThrow(
      'network "test" is not served here (served: main)',
    );
  });
});
