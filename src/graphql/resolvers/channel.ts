import { Arg, Ctx, FieldResolver, ID, Int, Resolver, Root } from 'type-graphql';
import type { ChannelRecord } from '../../domain/channel/channels';
import { countAuditEvents, listAuditEvents, type AuditEventRecord } from '../../domain/audit/audit';
import { listCredentials } from '../../domain/token/credentials';
import { describeCertificate, getSamlConfig } from '../../domain/saml/saml-config';
import { scimBaseUrl, serviceProviderUrls } from '../../domain/saml/service-provider';
import { countUsers, getUser, listUsers } from '../../domain/user/users';
import { countGroups, getGroup, listGroups } from '../../domain/group/groups';
import { countDirectoryGroups, listDirectoryGroups } from '../../domain/group/directory-groups';
import { countVideos, listVideos } from '../../domain/content/content';
import type { GraphQLContext } from '../context';
import { connectionOf, decodeCreatedCursor, encodeCreatedCursor, pageArgs } from '../types/connection';
import {
  AdminApiKey,
  AuditEventConnection,
  Channel,
  DirectoryGroupConnection,
  Group,
  GroupConnection,
  SamlConfig,
  ScimToken,
  ServiceProvider,
  User,
  UserConnection,
  VideoConnection,
} from '../types/objects';

const decodeAuditCursor = (raw: string) => {
  const id = Buffer.from(raw, 'base64url').toString('utf8');
  return /^\d{1,19}$/.test(id) ? id : null;
};

@Resolver(() => Channel)
export class ChannelResolver {
  @FieldResolver(() => ServiceProvider)
  serviceProvider(@Root() channel: ChannelRecord, @Ctx() ctx: GraphQLContext): ServiceProvider {
    return serviceProviderUrls(ctx.config.publicUrl, channel.slug);
  }

  @FieldResolver(() => String, { description: 'The SCIM 2.0 base URL to paste into the IdP' })
  scimBaseUrl(@Ctx() ctx: GraphQLContext): string {
    return scimBaseUrl(ctx.config.publicUrl);
  }

  @FieldResolver(() => SamlConfig, { nullable: true, description: 'null until SAML is configured' })
  async samlConfig(@Root() channel: ChannelRecord, @Ctx() ctx: GraphQLContext): Promise<SamlConfig | null> {
    const config = await getSamlConfig(ctx.em, channel.id);
    return config && { ...config, certificates: config.certificates.map(describeCertificate) };
  }

  @FieldResolver(() => [ScimToken], { description: 'Newest first, revoked ones included' })
  scimTokens(@Root() channel: ChannelRecord, @Ctx() ctx: GraphQLContext) {
    return listCredentials(ctx.em, 'scim_token', channel.id);
  }

  @FieldResolver(() => [AdminApiKey], { description: 'Newest first, revoked ones included' })
  adminApiKeys(@Root() channel: ChannelRecord, @Ctx() ctx: GraphQLContext) {
    return listCredentials(ctx.em, 'admin_api_key', channel.id);
  }

  @FieldResolver(() => UserConnection, { description: 'Users of the channel (not those removed through SCIM)' })
  async users(
    @Root() channel: ChannelRecord,
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('query', () => String, { nullable: true, description: 'Part of an email or name' }) query?: string,
    @Arg('active', () => Boolean, { nullable: true }) active?: boolean,
  ) {
    const page = pageArgs(first, after, decodeCreatedCursor);
    const filter = { channelId: channel.id, search: query, active };
    const rows = await listUsers(ctx.em, { ...filter, after: page.after, limit: page.limit });
    return connectionOf(rows, page, encodeCreatedCursor, () => countUsers(ctx.em, filter));
  }

  @FieldResolver(() => User, { nullable: true })
  user(@Root() channel: ChannelRecord, @Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string) {
    return getUser(ctx.em, channel.id, id);
  }

  @FieldResolver(() => GroupConnection)
  async groups(
    @Root() channel: ChannelRecord,
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    const page = pageArgs(first, after, decodeCreatedCursor);
    const rows = await listGroups(ctx.em, channel.id, page);
    return connectionOf(rows, page, encodeCreatedCursor, () => countGroups(ctx.em, channel.id));
  }

  @FieldResolver(() => Group, { nullable: true })
  group(@Root() channel: ChannelRecord, @Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string) {
    return getGroup(ctx.em, channel.id, id);
  }

  @FieldResolver(() => DirectoryGroupConnection, {
    description: 'Groups the identity provider has pushed over SCIM: the names a group can be matched to',
  })
  async directoryGroups(
    @Root() channel: ChannelRecord,
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    const page = pageArgs(first, after, decodeCreatedCursor);
    const rows = await listDirectoryGroups(ctx.em, channel.id, page);
    return connectionOf(rows, page, encodeCreatedCursor, () => countDirectoryGroups(ctx.em, channel.id));
  }

  @FieldResolver(() => AuditEventConnection, { description: 'The provisioning log, newest first' })
  async auditEvents(
    @Root() channel: ChannelRecord,
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('action', () => String, {
      nullable: true,
      description: 'An action (user.deactivated) or a family of them (user)',
    })
    action?: string,
    @Arg('targetId', () => ID, { nullable: true, description: 'Only events about this user, group, token ...' })
    targetId?: string,
  ) {
    const page = pageArgs(first, after, decodeAuditCursor);
    const filter = { channelId: channel.id, action, targetId };
    const rows = await listAuditEvents(ctx.em, { ...filter, beforeId: page.after, limit: page.limit });
    return connectionOf(
      rows,
      page,
      (event: AuditEventRecord) => Buffer.from(event.id).toString('base64url'),
      () => countAuditEvents(ctx.em, filter),
    );
  }

  @FieldResolver(() => VideoConnection)
  async videos(
    @Root() channel: ChannelRecord,
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    const page = pageArgs(first, after, decodeCreatedCursor);
    const rows = await listVideos(ctx.em, channel.id, {}, page);
    return connectionOf(rows, page, encodeCreatedCursor, () => countVideos(ctx.em, channel.id, {}));
  }
}
