import { CreateDateColumn } from 'typeorm';

/**
 * `created_at datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)`: every row timestamp the same in
 * the entities and the migrations (test/schema checks that they agree).
 */
export function CreatedAtColumn(): PropertyDecorator {
  return CreateDateColumn({
    name: 'created_at',
    type: 'datetime',
    precision: 3,
    default: () => 'CURRENT_TIMESTAMP(3)',
  });
}
