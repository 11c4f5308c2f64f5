import 'reflect-metadata';
import { buildSchemaSync } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import { ChannelResolver } from './resolvers/channel';
import {
  CommentFieldsResolver,
  GroupFieldsResolver,
  UserFieldsResolver,
  VideoFieldsResolver,
} from './resolvers/fields';
import { MutationResolver } from './resolvers/mutation';
import { QueryResolver } from './resolvers/query';

let schema: GraphQLSchema | undefined;

/** The admin API schema, built from the code once per process. `schema/schema.graphql` is its printout. */
export function adminSchema(): GraphQLSchema {
  schema ??= buildSchemaSync({
    resolvers: [
      QueryResolver,
      MutationResolver,
      ChannelResolver,
      UserFieldsResolver,
      GroupFieldsResolver,
      VideoFieldsResolver,
      CommentFieldsResolver,
    ],
    validate: false,
  });
  return schema;
}
