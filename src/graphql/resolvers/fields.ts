import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { UserRecord } from '../../domain/user/users';
import type { GroupRecord } from '../../domain/group/groups';
import type { CommentRecord, VideoRecord } from '../../domain/content/content';
import type { GraphQLContext } from '../context';
import { connectionOf, decodeCreatedCursor, encodeCreatedCursor, pageArgs } from '../types/connection';
import { Comment, Group, User, UserConnection, Video } from '../types/objects';

@Resolver(() => User)
export class UserFieldsResolver {
  @FieldResolver(() => [Group], { description: 'Channel groups the user is in (stored, or from the IdP)' })
  groups(@Root() user: UserRecord, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.of(user.channelId).groupsOfUser.load(user.id);
  }

  @FieldResolver(() => [Video])
  videos(@Root() user: UserRecord, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.of(user.channelId).videosOfUser.load(user.id);
  }

  @FieldResolver(() => [Comment])
  comments(@Root() user: UserRecord, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.of(user.channelId).commentsOfUser.load(user.id);
  }
}

@Resolver(() => Group)
export class GroupFieldsResolver {
  @FieldResolver(() => Boolean, {
    description: 'Matched to a SAML group: members come from the identity provider and are read-only here',
  })
  isSamlManaged(@Root() group: GroupRecord): boolean {
    return group.samlGroupName !== null;
  }

  @FieldResolver(() => UserConnection, { description: 'Members, inactive users included (see User.active)' })
  async members(
    @Root() group: GroupRecord,
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    const page = pageArgs(first, after, decodeCreatedCursor);
    const members = await ctx.loaders.membersPage(group.channelId, page).load(group.id);
    const loaders = ctx.loaders.of(group.channelId);
    return connectionOf(members, page, encodeCreatedCursor, () => loaders.memberCount.load(group.id));
  }
}

@Resolver(() => Video)
export class VideoFieldsResolver {
  @FieldResolver(() => User, { description: 'Stays attributed when the owner is deactivated or removed' })
  async owner(@Root() video: VideoRecord, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.of(video.channelId).user.load(video.ownerId);
  }

  @FieldResolver(() => [Comment])
  comments(@Root() video: VideoRecord, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.of(video.channelId).commentsOfVideo.load(video.id);
  }
}

@Resolver(() => Comment)
export class CommentFieldsResolver {
  @FieldResolver(() => User)
  author(@Root() comment: CommentRecord, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.of(comment.channelId).user.load(comment.authorId);
  }

  @FieldResolver(() => Video)
  video(@Root() comment: CommentRecord, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.of(comment.channelId).video.load(comment.videoId);
  }
}
