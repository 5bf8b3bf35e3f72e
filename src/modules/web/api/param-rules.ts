import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, type TransformFnParams } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  Max,
  Min,
  registerDecorator,
  type ValidationArguments,
} from 'class-validator';
import { isValidAddress } from '../../../biblepay/address';
import { isNetwork } from '../../../biblepay/network';

/**
 * The rules of the API's parameters, each one decorator that converts, validates and documents
 * (OpenAPI) a DTO property. Query and path values arrive as text, or as an array when a query
 * parameter is repeated (refused). Every refusal names the parameter and what it must be.
 */

/** Up to nine plain digits: no sign, exponent, hex or fraction ("1e2" and "0x10" are not 100, 16). */
const INTEGER_TEXT = /^\d{1,9}$/;

function toInteger({ value }: TransformFnParams): unknown {
  const text = typeof value === 'string' ? value.trim() : undefined;
  // Anything else is left as it came, for IsInt to refuse.
  return text !== undefined && INTEGER_TEXT.test(text) ? Number(text) : value;
}

function toFlag({ value }: TransformFnParams): unknown {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return value;
}

/** An integer in [min, max]; optional with a default when `fallback` is given (set it as the initializer too). */
export function IntegerParam(options: {
  min: number;
  max: number;
  fallback?: number;
  description?: string;
}): PropertyDecorator {
  const { min, max, fallback } = options;
  const message = ({ property }: ValidationArguments) =>
    `${property} must be an integer from ${min} to ${max}`;
  const doc = {
    type: 'integer' as const,
    minimum: min,
    maximum: max,
    default: fallback,
    description: options.description,
  };
  return applyDecorators(
    fallback === undefined ? ApiProperty(doc) : ApiPropertyOptional(doc),
    Transform(toInteger),
    IsInt({ message }),
    Min(min, { message }),
    Max(max, { message }),
  );
}

/** `true`/`1` or `false`/`0`. */
export function FlagParam(options: { fallback: boolean; description: string }): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: Boolean,
      default: options.fallback,
      description: options.description,
    }),
    Transform(toFlag),
    IsBoolean({ message: ({ property }) => `${property} must be true or false` }),
  );
}

/**
 * A BiblePay address of the network named by the DTO's `network` property (a main address is not
 * a test one). The network itself is checked first by ServedNetworkGuard (404).
 */
export function AddressOfNetworkParam(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    ApiProperty({ description: 'The miner’s payout address' })(target, propertyName);
    registerDecorator({
      name: 'isAddressOfNetwork',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate(value: unknown, args: ValidationArguments): boolean {
          const network = (args.object as { network?: unknown }).network;
          return (
            typeof value === 'string' &&
            typeof network === 'string' &&
            isNetwork(network) &&
            isValidAddress(network, value)
          );
        },
        defaultMessage(args: ValidationArguments): string {
          const network = String((args.object as { network?: unknown }).network);
          return `${args.property} is not a valid BiblePay ${network} address`;
        },
      },
    });
  };
}
