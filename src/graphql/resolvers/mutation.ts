import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { createChannel } from '../../domain/channel/channels';
import { configureSaml, describeCertificate } from '../../domain/saml/saml-config';
import { issueScimToken } from '../../domain/token/scim-tokens';
import { issueCredential, revokeCredential } from '../../domain/token/credentials';
import { addGroupMembers, createGroup, deleteGroup, removeGroupMembers, updateGroup } from '../../domain/group/groups';
import { channelOfUser, purgeUser, setUserActive, setUserRole } from '../../domain/user/users';
import { addComment, createVideo } from '../../domain/content/content';
import { notFound } from '../../domain/errors';
import { parseIdpMetadata } from '../../saml/metadata';
import { requireCaller, requirePlatform } from '../auth';
import { actorOf, type GraphQLContext } from '../context';
import { badUserInput } from '../errors';
import {
  AddCommentInput,
  ConfigureSamlInput,
  CreateAdminApiKeyInput,
  CreateAdminApiKeyPayload,
  CreateChannelInput,
  CreateChannelPayload,
  CreateGroupInput,
  CreateVideoInput,
  IssueScimTokenInput,
  IssueScimTokenPayload,
  UpdateGroupInput,
} from '../types/inputs';
import { AdminApiKey, Comment, Group, Role, SamlConfig, ScimToken, User, Video } from '../types/objects';
import { changeInChannel } from './scope';

const MAX_DESCRIPTION = 200;

function description(value: string | null | undefined): string | null {
  const text = value?.trim() || null;
  if (text && text.length > MAX_DESCRIPTION) throw badUserInput(`description: at most ${MAX_DESCRIPTION} characters`);
  return text;
}

/** The user a piece of content is for: given explicitly, or the signed-in user. */
function contentUser(ctx: GraphQLContext, given: string | null | undefined, field: string): string {
  if (given) return given;
  const caller = requireCaller(ctx.caller);
  if (caller.kind === 'SESSION') return caller.userId;
  throw badUserInput(`${field} is required when the caller is not a signed-in user`);
}

@Resolver()
export class MutationResolver {
  @Mutation(() => CreateChannelPayload, { description: 'Platform only. Returns the first admin API key, once.' })
  async createChannel(@Ctx() ctx: GraphQLContext, @Arg('input') input: CreateChannelInput) {
    requirePlatform(ctx.caller);
    return ctx.em.transactional((em) => createChannel(em, input));
  }

  @Mutation(() => SamlConfig, { description: "Replaces the channel's whole SAML configuration" })
  async configureSaml(@Ctx() ctx: GraphQLContext, @Arg('input') input: ConfigureSamlInput) {
    const fromFields = input.idpEntityId || input.ssoUrl || (input.certificates && input.certificates.length > 0);
    if (input.metadataXml && fromFields) {
      throw badUserInput('Give either metadataXml, or idpEntityId + ssoUrl + certificates, not both');
    }
    const idp = input.metadataXml
      ? parseIdpMetadata(input.metadataXml)
      : { entityId: input.idpEntityId ?? '', ssoUrl: input.ssoUrl ?? '', certificates: input.certificates ?? [] };
    const config = await changeInChannel(ctx, (domain) =>
      configureSaml(domain, {
        idpEntityId: idp.entityId,
        ssoUrl: idp.ssoUrl,
        certificates: idp.certificates,
        groupsAttribute: input.groupsAttribute,
        allowIdpInitiated: input.allowIdpInitiated,
        jitProvisioning: input.jitProvisioning,
        allowSha1: input.allowSha1,
      }),
    );
    return { ...config, certificates: config.certificates.map(describeCertificate) };
  }

  @Mutation(() => IssueScimTokenPayload, { description: 'Refused with SAML_NOT_CONFIGURED until SAML is set up' })
  async issueScimToken(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => IssueScimTokenInput, { nullable: true }) input?: IssueScimTokenInput,
  ) {
    const issued = await changeInChannel(ctx, (domain) => issueScimToken(domain, description(input?.description)));
    return { token: issued.value, scimToken: issued.record };
  }

  @Mutation(() => ScimToken, { description: 'Takes effect on the very next request' })
  revokeScimToken(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string) {
    return changeInChannel(ctx, (domain) => revokeCredential(domain, 'scim_token', id));
  }

  @Mutation(() => CreateAdminApiKeyPayload)
  async createAdminApiKey(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => CreateAdminApiKeyInput, { nullable: true }) input?: CreateAdminApiKeyInput,
  ) {
    const issued = await changeInChannel(ctx, (domain) =>
      issueCredential(domain, 'admin_api_key', description(input?.description)),
    );
    return { key: issued.value, adminApiKey: issued.record };
  }

  @Mutation(() => AdminApiKey)
  revokeAdminApiKey(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string) {
    return changeInChannel(ctx, (domain) => revokeCredential(domain, 'admin_api_key', id));
  }

  @Mutation(() => Group)
  createGroup(@Ctx() ctx: GraphQLContext, @Arg('input') input: CreateGroupInput) {
    return changeInChannel(ctx, (domain) => createGroup(domain, input));
  }

  @Mutation(() => Group)
  updateGroup(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string, @Arg('input') input: UpdateGroupInput) {
    return changeInChannel(ctx, (domain) => updateGroup(domain, id, input));
  }

  @Mutation(() => Boolean)
  async deleteGroup(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string) {
    await changeInChannel(ctx, (domain) => deleteGroup(domain, id));
    return true;
  }

  @Mutation(() => Group, { description: 'Refused with SAML_MANAGED_GROUP for matched groups' })
  addGroupMembers(
    @Ctx() ctx: GraphQLContext,
    @Arg('groupId', () => ID) groupId: string,
    @Arg('userIds', () => [ID]) userIds: string[],
  ) {
    return changeInChannel(ctx, (domain) => addGroupMembers(domain, groupId, userIds));
  }

  @Mutation(() => Group, { description: 'Refused with SAML_MANAGED_GROUP for matched groups' })
  removeGroupMembers(
    @Ctx() ctx: GraphQLContext,
    @Arg('groupId', () => ID) groupId: string,
    @Arg('userIds', () => [ID]) userIds: string[],
  ) {
    return changeInChannel(ctx, (domain) => removeGroupMembers(domain, groupId, userIds));
  }

  @Mutation(() => User, { description: 'false: sign-in is refused and sessions end at once; data is kept' })
  setUserActive(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('active', () => Boolean) active: boolean,
  ) {
    return changeInChannel(ctx, (domain) => setUserActive(domain, id, active));
  }

  @Mutation(() => User)
  setUserRole(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string, @Arg('role', () => Role) role: Role) {
    return changeInChannel(ctx, (domain) => setUserRole(domain, id, role));
  }

  @Mutation(() => Boolean, {
    description: 'Platform only: permanently deletes the user, their sessions, memberships and content',
  })
  async purgeUser(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string) {
    requirePlatform(ctx.caller);
    const actor = actorOf(requireCaller(ctx.caller));
    await ctx.em.transactional(async (em) => {
      const channelId = await channelOfUser(em, id);
      if (!channelId) throw notFound('No such user');
      await purgeUser({ em, channelId, actor }, id);
    });
    return true;
  }

  @Mutation(() => Video)
  createVideo(@Ctx() ctx: GraphQLContext, @Arg('input') input: CreateVideoInput) {
    const ownerId = contentUser(ctx, input.ownerId, 'ownerId');
    return changeInChannel(ctx, (domain) => createVideo(domain, { title: input.title, ownerId }));
  }

  @Mutation(() => Comment)
  addComment(@Ctx() ctx: GraphQLContext, @Arg('input') input: AddCommentInput) {
    const authorId = contentUser(ctx, input.authorId, 'authorId');
    return changeInChannel(ctx, (domain) => addComment(domain, { videoId: input.videoId, authorId, body: input.body }));
  }
}
