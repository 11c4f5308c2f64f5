import type { DomainContext } from '../../domain/context';
import { administeredChannelId, requireCaller } from '../auth';
import { actorOf, type GraphQLContext } from '../context';

/**
 * Runs a channel-scoped change for the caller: one transaction, the caller's channel, the caller as actor.
 * The channel never comes from the input — a key of one channel cannot name another's.
 */
export async function changeInChannel<T>(ctx: GraphQLContext, fn: (domain: DomainContext) => Promise<T>): Promise<T> {
  const channelId = administeredChannelId(ctx.caller);
  const actor = actorOf(requireCaller(ctx.caller));
  return ctx.em.transactional((em) => fn({ em, channelId, actor }));
}
