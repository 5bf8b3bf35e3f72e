import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { KNOWN_NETWORKS, type Network } from '../../../biblepay/network';
import { AddressOfNetworkParam, FlagParam, IntegerParam } from './param-rules';

/**
 * The API's parameters as DTOs: validated by the API's ValidationPipe (api-validation.ts) and read
 * by @nestjs/swagger for the OpenAPI document. Defaults are the initializers. Properties are
 * checked in the order they are declared here; the first refusal is the 400's message.
 */
export const MAX_PAGE = 100_000;
export const MAX_PAGE_SIZE = 100;

export class PageQueryDto {
  @IntegerParam({ min: 1, max: MAX_PAGE, fallback: 1, description: '1-based' })
  page: number = 1;

  @IntegerParam({ min: 1, max: MAX_PAGE_SIZE, fallback: 20 })
  pageSize: number = 20;
}

export class BlocksQueryDto extends PageQueryDto {
  @FlagParam({
    fallback: true,
    description: 'true (default): only the pool’s blocks; false: every block stored',
  })
  pool: boolean = true;
}

export class SharesQueryDto {
  @IntegerParam({ min: 1, max: 168, fallback: 24, description: 'Hours back from now' })
  hours: number = 24;
}

const NETWORK_DOC = { enum: KNOWN_NETWORKS, description: 'A network this pool serves' };

/** `network` is a served one by then: ServedNetworkGuard answered 404 for any other. */
export class MinerPathDto {
  @ApiProperty(NETWORK_DOC)
  @IsIn(KNOWN_NETWORKS)
  network: Network;

  @AddressOfNetworkParam()
  address: string;
}

export class SubsidySumPathDto {
  @ApiProperty(NETWORK_DOC)
  @IsIn(KNOWN_NETWORKS)
  network: Network;

  @IntegerParam({ min: 1, max: 3650 })
  days: number;
}
