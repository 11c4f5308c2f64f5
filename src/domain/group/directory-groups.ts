import type { SqlEntityManager } from '@mikro-orm/postgresql';

/**
 * Read side of directory groups (the groups the IdP pushes over SCIM), as the admin API shows them: the
 * names an administrator can match a channel group to. Writes belong to `domain/directory-group`.
 */
export interface DirectoryGroupSummary {
  id: string;
  displayName: string;
  externalId: string | null;
  memberCount: number;
  createdAt: Date;
}

export async function listDirectoryGroups(
  em: SqlEntityManager,
  channelId: string,
  page: { after?: { createdAt: Date; id: string } | null; limit: number },
): Promise<DirectoryGroupSummary[]> {
  const params: unknown[] = [channelId];
  let after = '';
  if (page.after) {
    after = 'and (d.created_at, d.id) > (?, ?)';
    params.push(page.after.createdAt, page.after.id);
  }
  params.push(page.limit);
  const rows = await em.execute(
    `select d.id, d.display_name, d.external_id, d.created_at,
       (select count(*)::int from directory_group_member m
        where m.channel_id = d.channel_id and m.directory_group_id = d.id) as member_count
     from directory_group d where d.channel_id = ? ${after}
     order by d.created_at, d.id limit ?`,
    params,
  );
  return rows.map((row: Record<string, any>) => ({
    id: row.id,
    displayName: row.display_name,
    externalId: row.external_id,
    memberCount: row.member_count,
    createdAt: new Date(row.created_at),
  }));
}

export async function countDirectoryGroups(em: SqlEntityManager, channelId: string): Promise<number> {
  const [row] = await em.execute('select count(*)::int as n from directory_group where channel_id = ?', [channelId]);
  return row.n;
}
