// Prints the admin API schema as SDL; `npm run schema` writes it to schema/schema.graphql.
import 'reflect-metadata';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { adminSchema } from '../graphql/schema';

process.stdout.write(
  `# Generated from the code by \`npm run schema\`; CI fails when this file differs. Do not edit.\n\n${printSchema(
    lexicographicSortSchema(adminSchema()),
  )}\n`,
);
