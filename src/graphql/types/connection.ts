import { Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { badUserInput } from '../errors';

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface ConnectionShape<T> {
  edges: { node: T; cursor: string }[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: Promise<number>;
}

/** A Relay connection type for `nodeType`, named `<name>Connection` with edges `<name>Edge`. */
export function Connection<T extends object>(name: string, nodeType: ClassType<T>) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => nodeType)
    node!: T;

    @Field()
    cursor!: string;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => [nodeType])
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    /** Counted only when asked for. */
    @Field(() => Int)
    totalCount!: number;
  }
  return ConnectionType;
}

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 200;

export interface Page<Cursor> {
  /** One more than asked for, to learn whether there is a next page. */
  limit: number;
  first: number;
  after: Cursor | null;
}

export function pageArgs<Cursor>(
  first: number | null | undefined,
  after: string | null | undefined,
  decode: (raw: string) => Cursor | null,
): Page<Cursor> {
  const size = first ?? DEFAULT_PAGE;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE) {
    throw badUserInput(`first must be a whole number from 0 to ${MAX_PAGE}`);
  }
  let cursor: Cursor | null = null;
  if (after) {
    cursor = decode(after);
    if (cursor === null) throw badUserInput('after is not a cursor this list gave out');
  }
  return { limit: size + 1, first: size, after: cursor };
}

/** Cursor of lists ordered by (createdAt, id). */
export interface CreatedCursor {
  createdAt: Date;
  id: string;
}

export function encodeCreatedCursor(item: { createdAt: Date; id: string }): string {
  return Buffer.from(`${item.createdAt.toISOString()}|${item.id}`).toString('base64url');
}

export function decodeCreatedCursor(raw: string): CreatedCursor | null {
  const [iso, id] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(iso);
  if (!id || Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) return null;
  return { createdAt, id };
}

export function connectionOf<T>(
  rows: T[],
  page: Page<unknown>,
  cursorOf: (item: T) => string,
  count: () => Promise<number>,
): ConnectionShape<T> {
  const nodes = rows.slice(0, page.first);
  const edges = nodes.map((node) => ({ node, cursor: cursorOf(node) }));
  let counted: Promise<number> | undefined;
  return {
    edges,
    nodes,
    pageInfo: { hasNextPage: rows.length > page.first, endCursor: edges.at(-1)?.cursor ?? null },
    // A getter, so that the count query runs only for callers that select totalCount.
    get totalCount() {
      counted ??= count();
      return counted;
    },
  };
}
