import { BadRequestException, NotFoundException } from '@nestjs/common';
import { randomAddress } from '../../../biblepay/address';
import { AppConfig } from '../../../config/app-config';
import { addressParam, boolParam, intParam, networkParam } from './params';

const range = { min: 1, max: 100 };

describe('API parameter checks', () => {
  it('accepts integers in range and the default when absent', () => {
    expect(intParam('7', 'page', range)).toBe(7);
    expect(intParam(' 100 ', 'page', range)).toBe(100);
    expect(intParam(undefined, 'page', { ...range, fallback: 1 })).toBe(1);
  });

  it.each([['0'], ['101'], ['-1'], ['1.5'], ['1e2'], ['abc'], [''], ['9999999999'], [['1', '2']]])(
    'refuses %p with a 400 naming the parameter',
    (value) => {
      expect(() => intParam(value, 'pageSize', range)).toThrow(BadRequestException);
      expect(() => intParam(value, 'pageSize', range)).toThrow(
        'pageSize must be an integer from 1 to 100',
      );
    },
  );

  it('requires a value when there is no default', () => {
    expect(() => intParam(undefined, 'days', range)).toThrow(BadRequestException);
  });

  it('reads flags as true/false/1/0 only', () => {
    expect(boolParam(undefined, 'pool', true)).toBe(true);
    expect(boolParam('false', 'pool', true)).toBe(false);
    expect(boolParam('1', 'pool', false)).toBe(true);
    expect(() => boolParam('yes', 'pool', true)).toThrow('pool must be true or false');
  });

  it('gives 404 for a network not served and 400 for an address of the wrong network', () => {
    const config = new AppConfig({
      ROLE: 'frontend',
      DATABASE_URL: 'mysql://u:p@127.0.0.1:3306/db',
      AMQP_URL: 'amqp://u:p@127.0.0.1:5672/v',
      POOL_ADDRESS_MAIN: randomAddress('main'),
    });
    expect(networkParam(config, 'main')).toBe('main');
    expect(() => networkParam(config, 'test')).toThrow(NotFoundException);
    const main = randomAddress('main');
    expect(addressParam('main', main)).toBe(main);
    expect(() => addressParam('main', randomAddress('test'))).toThrow(BadRequestException);
  });
});
