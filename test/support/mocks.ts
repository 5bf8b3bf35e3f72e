import 'reflect-metadata';
import { randomAddress } from '../../src/biblepay/address';
import { AppConfig } from '../../src/config/app-config';

/* eslint-disable @typescript-eslint/no-explicit-any -- constructors of any shape are what DI takes */
type Constructor<T = object> = abstract new (...args: any[]) => T;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Every method of a class, as a jest.fn (prototype chain included), resolving undefined. */
export function automock<T extends object>(type: Constructor<T>): jest.Mocked<T> {
  const mock: Record<string, jest.Mock> = {};
  for (let proto = type.prototype as object; proto && proto !== Object.prototype;) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor' || name in mock) continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (typeof descriptor?.value === 'function') mock[name] = jest.fn();
    }
    proto = Object.getPrototypeOf(proto) as object;
  }
  return mock as unknown as jest.Mocked<T>;
}

export interface TestService<S> {
  sut: S;
  /** The mock the service was given for `type` (its repositories, clients…). */
  mock<T extends object>(type: Constructor<T>): jest.Mocked<T>;
}

/**
 * immich's `newTestService`: builds a service with every constructor dependency auto-mocked
 * (read from Nest's decorator metadata), except the real objects passed in `real` (an AppConfig,
 * a fixed clock…). A spec then states only what it changes.
 */
export function newTestService<S>(
  Service: new (...args: never[]) => S,
  real: object[] = [],
): TestService<S> {
  const types = (Reflect.getMetadata('design:paramtypes', Service) ?? []) as Constructor[];
  const mocks = new Map<Constructor, object>();
  const args = types.map((type) => {
    const given = real.find((r) => type && r instanceof type);
    if (given) return given;
    if (!type || type === Object) return undefined; // an @Optional() interface: absent
    const mock = automock(type);
    mocks.set(type, mock);
    return mock;
  });
  return {
    sut: new Service(...(args as never[])),
    mock: <T extends object>(type: Constructor<T>) => {
      const found = mocks.get(type);
      if (!found) throw new Error(`${Service.name} was not given a mock of ${type.name}`);
      return found as jest.Mocked<T>;
    },
  };
}

/** A backend's AppConfig for unit specs (no process env): the defaults plus `env`. */
export function backendConfig(env: Record<string, string> = {}): AppConfig {
  return new AppConfig({
    ROLE: 'backend',
    DATABASE_URL: 'mysql://u:p@h/db',
    AMQP_URL: 'amqp://u:p@h/v',
    POOL_ADDRESS_MAIN: randomAddress('main'),
    NODE_RPC_URL_MAIN: 'http://u:p@127.0.0.1:9998',
    ...env,
  });
}
