import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { getChannel, getChannelBySlug, type ChannelRecord } from '../../domain/channel/channels';
import { notFound } from '../../domain/errors';
import { getUser } from '../../domain/user/users';
import { administeredChannelId, requireCaller } from '../auth';
import type { GraphQLContext } from '../context';
import { badUserInput } from '../errors';
import { Channel, Viewer, ViewerKind } from '../types/objects';

@Resolver()
export class QueryResolver {
  @Query(() => Viewer, { description: 'Who is calling' })
  async viewer(@Ctx() ctx: GraphQLContext): Promise<Viewer> {
    const caller = requireCaller(ctx.caller);
    if (caller.kind === 'PLATFORM') return { kind: ViewerKind.PLATFORM, channel: null, user: null };
    const channel = await getChannel(ctx.em, caller.channelId);
    if (caller.kind === 'ADMIN_KEY') return { kind: ViewerKind.ADMIN_KEY, channel, user: null };
    const user = await getUser(ctx.em, caller.channelId, caller.userId);
    return { kind: ViewerKind.SESSION, channel, user: user as Viewer['user'] };
  }

  @Query(() => Channel, { description: "The caller's channel; slug is needed only with the platform token" })
  async channel(
    @Ctx() ctx: GraphQLContext,
    @Arg('slug', () => String, { nullable: true }) slug?: string | null,
  ): Promise<ChannelRecord> {
    const caller = requireCaller(ctx.caller);
    if (caller.kind === 'PLATFORM') {
      if (!slug) throw badUserInput('With the platform token, name the channel: channel(slug: "...")');
      const channel = await getChannelBySlug(ctx.em, slug);
      if (!channel) throw notFound(`No channel with slug "${slug}"`);
      return channel;
    }
    const channel = await getChannel(ctx.em, administeredChannelId(caller));
    // Another channel's slug names nothing this caller can see.
    if (!channel || (slug && slug !== channel.slug)) throw notFound(`No channel with slug "${slug}"`);
    return channel;
  }
}
