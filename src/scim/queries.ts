import type { SqlEntityManager } from '@mikro-orm/postgresql';
import { ResourceTypeDeclaration } from './schema/resource-schemas';
import { ListRequest, encodeCursor } from './list-request';
import { isUuid } from '../domain/errors';
import { run } from '../db/sql';

/**
 * The SQL reads of SCIM: one statement per request. Filters arrive translated (filter/sql.ts); a user's groups
 * and a group's members are read only when the response will show them.
 */

/** The row's keyset position for cursors: its creation time to the microsecond, in UTC. */
const position = (row: string) =>
  `to_char(${row}.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as position`;

const USER_COLUMNS =
  'u.id, u.channel_id, u.email, u.email_type, u.given_name, u.family_name, u.display_name, u.external_id, u.active, ' +
  `u.scim, u.version, u.created_at, u.updated_at, ${position('u')}`;

/** A user's groups, for the user row under `alias`. */
const userGroups = (alias: string) =>
  `(select coalesce(jsonb_agg(jsonb_build_object('value', d.id, 'display', d.display_name) order by d.display_name, d.id), '[]'::jsonb)
   from directory_group_member m join directory_group d on d.channel_id = m.channel_id and d.id = m.directory_group_id
   where m.channel_id = ${alias}.channel_id and m.user_id = ${alias}.id) as groups`;

const GROUP_COLUMNS = `g.id, g.channel_id, g.display_name, g.external_id, g.version, g.created_at, g.updated_at, ${position('g')}`;

/** A group's members, for the group row under `alias`. */
const groupMembers = (alias: string) =>
  `(select coalesce(jsonb_agg(jsonb_build_object('value', mu.id, 'display', coalesce(mu.display_name, mu.email)) order by m.created_at, m.user_id), '[]'::jsonb)
   from directory_group_member m join app_user mu on mu.channel_id = m.channel_id and mu.id = m.user_id and mu.removed_at is null
   where m.channel_id = ${alias}.channel_id and m.directory_group_id = ${alias}.id) as members`;

interface Source {
  from: string;
  scope: string;
  columns: string;
  /** The related resources (a user's groups, a group's members) of the row under an alias. */
  relation: (alias: string) => string;
}

const sources: Record<'User' | 'Group', Source> = {
  User: {
    from: 'app_user u',
    scope: 'u.channel_id = ? and u.removed_at is null',
    columns: USER_COLUMNS,
    relation: userGroups,
  },
  Group: { from: 'directory_group g', scope: 'g.channel_id = ?', columns: GROUP_COLUMNS, relation: groupMembers },
};

/** One resource by id (any id that is not one of the channel's is simply not found). */
export async function readResource(
  em: SqlEntityManager,
  resourceType: ResourceTypeDeclaration,
  channelId: string,
  id: string,
  withRelation: boolean,
): Promise<Record<string, any> | undefined> {
  if (!isUuid(id)) return undefined;
  const source = sources[resourceType.name];
  const a = resourceType.alias;
  const columns = withRelation ? `${source.columns}, ${source.relation(a)}` : source.columns;
  const [row] = await run(em, `select ${columns} from ${source.from} where ${source.scope} and ${a}.id = ?`, [
    channelId,
    id,
  ]);
  return row;
}

export interface Page {
  rows: Record<string, any>[];
  total: number;
  nextCursor?: string;
}

/**
 * A page of resources and the total, in one round trip. Index paging orders by sortBy (then creation, id);
 * cursor paging is keyset paging on (created_at, id), so the last page of a 100,000-user directory costs what
 * the first one does.
 */
export async function listResources(
  em: SqlEntityManager,
  resourceType: ResourceTypeDeclaration,
  channelId: string,
  request: ListRequest,
  withRelation: boolean,
): Promise<Page> {
  const source = sources[resourceType.name];
  const a = resourceType.alias;
  const where = [source.scope];
  const whereBindings: unknown[] = [channelId];
  if (request.where) {
    where.push(request.where.sql);
    whereBindings.push(...request.where.bindings);
  }
  const pageWhere = [...where];
  const pageBindings = [...whereBindings];
  let order = `${a}.created_at, ${a}.id`;
  if (request.sort) {
    const direction = request.sort.descending ? 'desc nulls last' : 'asc nulls last';
    order = `${request.sort.sql} ${direction}, ${order}`;
  }
  let limit = request.count;
  let offset = 0;
  if (request.cursor) {
    if (request.cursor.position) {
      pageWhere.push(`(${a}.created_at, ${a}.id) > (?::timestamptz, ?::uuid)`);
      pageBindings.push(request.cursor.position.createdAt, request.cursor.position.id);
    }
    limit = request.count + 1; // one more, to know whether there is a next page
  } else {
    offset = request.startIndex - 1;
  }
  // The related resources are read in the outer select, for the page's rows only: inside the paged select they
  // would be computed for every row that `offset` skips too, which made deep index pages quadratic.
  const relation = withRelation ? `, ${source.relation('p')}` : '';
  // With a filter, the matching rows are found first (`offset 0` keeps the planner from folding the order and limit
  // in): a lookup by userName then takes the unique index even before the table has statistics, instead of
  // walking the channel's users in creation order and testing each. Unfiltered lists walk the creation index.
  const select = `select ${source.columns} from ${source.from} where ${pageWhere.join(' and ')}`;
  const paged = request.where
    ? `select * from (${select} offset 0) ${a} order by ${order} limit ? offset ?`
    : `${select} order by ${order} limit ? offset ?`;
  const rows: Record<string, any>[] = await run(
    em,
    `select t.total, p.*${relation} from (select count(*)::int as total from ${source.from} where ${where.join(' and ')}) t
     left join lateral (${paged}) p on true`,
    [...whereBindings, ...pageBindings, limit, offset],
  );
  const total = rows[0]?.total ?? 0;
  const resources = rows.filter((row) => row.id !== null);
  const page: Page = { rows: resources, total };
  if (request.cursor && request.count > 0 && resources.length > request.count) {
    page.rows = resources.slice(0, request.count);
    const last = page.rows[page.rows.length - 1];
    page.nextCursor = encodeCursor({ createdAt: last.position, id: last.id });
  }
  return page;
}
