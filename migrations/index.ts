import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261204000000_initial } from './Migration20261204000000_initial';

/** Every migration, in order. Listed explicitly so that the same code runs from TypeScript and from dist/. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261204000000_initial', class: Migration20261204000000_initial },
];
