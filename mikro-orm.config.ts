// Configuration for the MikroORM CLI (`npx mikro-orm migration:create` and friends), on DATABASE_URL.
import 'reflect-metadata';
import { ormOptions } from './src/db/orm';

export default ormOptions({
  clientUrl: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/roster',
  poolMax: 2,
});
