import { BenchClient, jsonOf, runLoad, unexpected, type HttpResponse, type Outcome } from './client';
import { FLOOR_PATH } from './floor';
import {
  oktaAddMembers,
  oktaCreateGroup,
  oktaCreateUser,
  oktaDeactivate,
  oktaLookupPath,
  oktaRemoveMembers,
  oktaReplaceUser,
} from './okta';
import { median, PhaseRecorder, round } from './stats';

export interface WorkloadOptions {
  requests: number;
  concurrency: number;
  maxSeconds: number;
  bigGroupMembers: number;
  bigGroupSamples: number;
  /** How many times the first and the last import pages are re-timed (the median is reported). */
  pageSamples: number;
}

/** What the phases share: the client, the options, and the users the create phase made. */
export interface Workload {
  scim: BenchClient;
  /** For the floor route, which lives outside /scim/v2. */
  root: BenchClient;
  options: WorkloadOptions;
  /** Index i holds what POST /Users answered for user i, when it answered 201. */
  users: (Record<string, any> | undefined)[];
  /** Added to user numbers in userNames, so that the warm-up's users never collide with the measured ones. */
  firstUserNumber: number;
}

const SCIM_PREFIX = '/scim/v2';

export const scimPath = (path: string) => SCIM_PREFIX + path;

function createdUsers(workload: Workload): Record<string, any>[] {
  return workload.users.filter((user): user is Record<string, any> => user !== undefined);
}

const load = (workload: Workload, total = workload.options.requests, concurrency = workload.options.concurrency) => ({
  total,
  concurrency,
  maxSeconds: workload.options.maxSeconds,
});

/** A bare authenticated route with one trivial query: the most a SCIM phase could reach on this machine. */
export async function floorPhase(workload: Workload, total = workload.options.requests): Promise<PhaseRecorder> {
  const recorder = new PhaseRecorder('floor');
  await runLoad(recorder, load(workload, total), async () => {
    const response = await workload.root.request('GET', FLOOR_PATH);
    if (response.status !== 200 || jsonOf(response)?.one !== 1) return unexpected(response, '200 {"one":1}');
    return { ms: response.ms };
  });
  return recorder;
}

/**
 * A short, unrecorded round of every user request kind, so that the measured phases meet a warmed-up server
 * (compiled code, filled caches and pool), as an IdP does in production.
 */
export async function warmUp(workload: Workload): Promise<void> {
  const warm: Workload = {
    ...workload,
    options: { ...workload.options, requests: Math.min(200, workload.options.requests) },
    users: [],
    firstUserNumber: 1_000_000_000 + workload.firstUserNumber,
  };
  for (const run of [createPhase, lookupPhase, updatePhase, deactivatePhase]) await run(warm);
  await floorPhase(warm);
}

/** POST /Users with Okta's body; each must answer 201 with the user, an id and a Location. */
export async function createPhase(workload: Workload): Promise<PhaseRecorder> {
  const recorder = new PhaseRecorder('create');
  await runLoad(recorder, load(workload), async (index) => {
    const body = oktaCreateUser(workload.firstUserNumber + index);
    const response = await workload.scim.request('POST', scimPath('/Users'), body);
    const resource = jsonOf(response);
    if (response.status !== 201) return unexpected(response, '201');
    if (typeof resource?.id !== 'string') return { ms: response.ms, error: '201 without an id' };
    if (String(resource.userName).toLowerCase() !== body.userName)
      return { ms: response.ms, error: '201 with another userName' };
    if (!response.headers.location) return { ms: response.ms, error: '201 without Location' };
    if ('password' in resource) return { ms: response.ms, error: 'the password was returned' };
    workload.users[index] = resource;
    return { ms: response.ms };
  });
  return recorder;
}

/** Runs `work` for each request of a phase over the created users, in turn; no users at all is an error. */
async function overUsers(
  workload: Workload,
  name: string,
  work: (user: Record<string, any>, index: number) => Promise<Outcome>,
): Promise<PhaseRecorder> {
  const recorder = new PhaseRecorder(name);
  const users = createdUsers(workload);
  await runLoad(recorder, load(workload), async (index) => {
    if (users.length === 0) return { ms: 0, error: 'no users were created to work on' };
    return work(users[index % users.length], index);
  });
  return recorder;
}

/** Okta's lookup by userName: exactly one match, and it is the user created with that name. */
export function lookupPhase(workload: Workload): Promise<PhaseRecorder> {
  return overUsers(workload, 'lookup', async (user) => {
    const response = await workload.scim.request('GET', scimPath(oktaLookupPath(user.userName)));
    const list = jsonOf(response);
    if (response.status !== 200) return unexpected(response, '200');
    if (list?.totalResults !== 1 || list.Resources?.length !== 1) {
      return { ms: response.ms, error: `expected exactly one user, got totalResults ${list?.totalResults}` };
    }
    if (list.Resources[0].id !== user.id) return { ms: response.ms, error: 'the lookup found another user' };
    return { ms: response.ms };
  });
}

/** Okta's profile push: PUT of the whole resource; the answer must carry the change. */
export function updatePhase(workload: Workload): Promise<PhaseRecorder> {
  return overUsers(workload, 'update', async (user, index) => {
    const body = oktaReplaceUser(user, workload.firstUserNumber + index);
    const response = await workload.scim.request('PUT', scimPath(`/Users/${user.id}`), body);
    const resource = jsonOf(response);
    if (response.status !== 200) return unexpected(response, '200');
    if (resource?.id !== user.id || resource?.name?.givenName !== body.name.givenName) {
      return { ms: response.ms, error: 'the PUT answer does not carry the new givenName' };
    }
    if (resource.active !== true) return { ms: response.ms, error: 'the PUT answer is not active' };
    return { ms: response.ms };
  });
}

/** Okta's deactivation: PATCH replace {"active": false}; 200 with the resource, now inactive. */
export function deactivatePhase(workload: Workload): Promise<PhaseRecorder> {
  return overUsers(workload, 'deactivate', async (user) => {
    const response = await workload.scim.request('PATCH', scimPath(`/Users/${user.id}`), oktaDeactivate);
    if (response.status !== 200) return unexpected(response, '200');
    const resource = jsonOf(response);
    if (resource?.id !== user.id || resource.active !== false)
      return { ms: response.ms, error: 'the user is not inactive' };
    return { ms: response.ms };
  });
}

const GROUP_COUNT = 20;
const MEMBERS_PER_PATCH = 100;

const memberRef = (user: Record<string, any>) => ({ value: user.id as string, display: user.userName as string });

/**
 * Group push: POST 20 groups, then PATCHes of 100 member changes each until the phase's request count is
 * reached. Pass 0 adds every user to every group chunk by chunk, pass 1 removes them again (Okta's one-remove-
 * per-member form), and so on. The final membership of every group is then read back and compared with what
 * the pushes should have left; a group that differs counts as an error.
 */
export async function groupPushPhase(workload: Workload): Promise<PhaseRecorder> {
  const recorder = new PhaseRecorder('group-push');
  const users = createdUsers(workload);
  const runTag = Date.now().toString(36);
  // Each group's id, or undefined when its POST failed; PATCHes wait for the POST of their group.
  const groupIds = Array.from({ length: GROUP_COUNT }, () => deferred<string | undefined>());
  const chunks: Record<string, any>[][] = [];
  for (let start = 0; start < users.length; start += MEMBERS_PER_PATCH)
    chunks.push(users.slice(start, start + MEMBERS_PER_PATCH));
  // Changes to one (group, chunk) are applied in order: an add and the later remove of the same members never race.
  const previous = new Map<string, Promise<unknown>>();
  const expected = Array.from({ length: GROUP_COUNT }, () => new Set<string>());

  await runLoad(recorder, load(workload), async (index) => {
    if (index < GROUP_COUNT) {
      let groupId: string | undefined;
      try {
        const response = await workload.scim.request(
          'POST',
          scimPath('/Groups'),
          oktaCreateGroup(`Bench group ${runTag} ${index}`),
        );
        const group = jsonOf(response);
        if (response.status !== 201 || typeof group?.id !== 'string') return unexpected(response, '201 with an id');
        groupId = group.id;
        return { ms: response.ms };
      } finally {
        groupIds[index].resolve(groupId);
      }
    }
    if (chunks.length === 0) return { ms: 0, error: 'no users were created to push' };
    const step = index - GROUP_COUNT;
    const groupIndex = step % GROUP_COUNT;
    const chunkIndex = Math.floor(step / GROUP_COUNT) % chunks.length;
    const adding = Math.floor(step / (GROUP_COUNT * chunks.length)) % 2 === 0;
    const groupId = await groupIds[groupIndex].promise;
    if (!groupId) return { ms: 0, error: 'the group was not created' };
    const chunk = chunks[chunkIndex];
    const key = `${groupIndex}/${chunkIndex}`;
    const send = (async () => {
      await previous.get(key);
      const body = adding ? oktaAddMembers(chunk.map(memberRef)) : oktaRemoveMembers(chunk.map((user) => user.id));
      return workload.scim.request('PATCH', scimPath(`/Groups/${groupId}`), body);
    })();
    previous.set(
      key,
      send.catch(() => undefined),
    );
    const response = await send;
    if (response.status !== 204 && response.status !== 200) return unexpected(response, '204');
    for (const user of chunk) {
      if (adding) expected[groupIndex].add(user.id);
      else expected[groupIndex].delete(user.id);
    }
    return { ms: response.ms };
  });

  for (const group of groupIds) group.resolve(undefined); // POSTs the time limit stopped never come
  for (let g = 0; g < GROUP_COUNT; g++) {
    const groupId = await groupIds[g].promise;
    if (!groupId) continue;
    const response = await workload.scim.request('GET', scimPath(`/Groups/${groupId}`));
    const members: string[] = (jsonOf(response)?.members ?? []).map((member: { value: string }) => member.value);
    const actual = new Set(members);
    const same =
      response.status === 200 &&
      members.length === actual.size &&
      actual.size === expected[g].size &&
      [...actual].every((id) => expected[g].has(id));
    if (!same) {
      recorder.checkFailed(
        `group ${g} has ${actual.size} members after the pushes, expected ${expected[g].size} (GET answered ${response.status})`,
      );
    }
  }
  return recorder;
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export interface BigGroupReport {
  members: number;
  addP50Big: number;
  addP50Small: number;
  removeP50Big: number;
  removeP50Small: number;
  excludedMembersGetP50: number;
  buildSeconds: number;
  samples: number;
}

/** The server's helpers for building the big group in SQL and checking membership counts. */
export interface BigGroupBuilder {
  build(groupId: string, members: number): Promise<{ seconds: number }>;
  countMembers(groupId: string): Promise<number>;
}

/**
 * big-group: one group of 100,000 members (built in SQL) and one of 10 (built by POST). Single-member add and
 * remove PATCHes alternate between the two, one request at a time, so that both see the same machine; then
 * GET /Groups/{id}?excludedAttributes=members of the big one. Membership counts are checked at the end.
 */
export async function bigGroupPhase(
  workload: Workload,
  builder: BigGroupBuilder,
): Promise<{ recorder: PhaseRecorder; report: BigGroupReport }> {
  const recorder = new PhaseRecorder('big-group');
  const { bigGroupMembers, bigGroupSamples } = workload.options;
  const users = createdUsers(workload);
  const report: BigGroupReport = {
    members: bigGroupMembers,
    addP50Big: 0,
    addP50Small: 0,
    removeP50Big: 0,
    removeP50Small: 0,
    excludedMembersGetP50: 0,
    buildSeconds: 0,
    samples: 0,
  };
  const runTag = Date.now().toString(36);
  const smallMembers = users.slice(-10);
  const movers = users.slice(0, Math.max(0, users.length - 10));
  const big = await workload.scim.request('POST', scimPath('/Groups'), oktaCreateGroup(`Bench big group ${runTag}`));
  const small = await workload.scim.request(
    'POST',
    scimPath('/Groups'),
    oktaCreateGroup(`Bench small group ${runTag}`, smallMembers.map(memberRef)),
  );
  const bigId: string | undefined = jsonOf(big)?.id;
  const smallId: string | undefined = jsonOf(small)?.id;
  if (big.status !== 201 || !bigId || small.status !== 201 || !smallId || movers.length === 0) {
    recorder.start();
    recorder.error(
      movers.length === 0
        ? 'not enough users were created'
        : unexpected(big.status !== 201 ? big : small, '201 for both groups').error!,
    );
    recorder.stop();
    return { recorder, report };
  }

  report.buildSeconds = round((await builder.build(bigId, bigGroupMembers)).seconds, 1);
  recorder.start(); // the phase's throughput covers the timed requests, not the SQL build

  const timings = {
    addBig: [] as number[],
    addSmall: [] as number[],
    removeBig: [] as number[],
    removeSmall: [] as number[],
    get: [] as number[],
  };
  const deadline = performance.now() + workload.options.maxSeconds * 1000;
  const patch = async (groupId: string, body: unknown, into: number[]) => {
    try {
      const response: HttpResponse = await workload.scim.request('PATCH', scimPath(`/Groups/${groupId}`), body);
      if (response.status === 204 || response.status === 200) {
        recorder.ok(response.ms);
        into.push(response.ms);
      } else recorder.error(unexpected(response, '204').error!);
    } catch (error) {
      recorder.error((error as Error).message);
    }
  };
  for (let s = 0; s < bigGroupSamples && performance.now() < deadline; s++) {
    const mover = movers[s % movers.length];
    await patch(bigId, oktaAddMembers([memberRef(mover)]), timings.addBig);
    await patch(smallId, oktaAddMembers([memberRef(mover)]), timings.addSmall);
    await patch(bigId, oktaRemoveMembers([mover.id]), timings.removeBig);
    await patch(smallId, oktaRemoveMembers([mover.id]), timings.removeSmall);
    report.samples++;
  }
  for (let s = 0; s < bigGroupSamples && performance.now() < deadline; s++) {
    const response = await workload.scim.request('GET', scimPath(`/Groups/${bigId}?excludedAttributes=members`));
    const group = jsonOf(response);
    if (response.status !== 200) recorder.error(unexpected(response, '200').error!);
    else if (group?.id !== bigId || 'members' in group)
      recorder.error('the group came back wrong, or with its members');
    else {
      recorder.ok(response.ms);
      timings.get.push(response.ms);
    }
  }
  recorder.stop();

  const bigCount = await builder.countMembers(bigId);
  const smallCount = await builder.countMembers(smallId);
  if (bigCount !== bigGroupMembers)
    recorder.checkFailed(`the big group has ${bigCount} members, expected ${bigGroupMembers}`);
  if (smallCount !== smallMembers.length)
    recorder.checkFailed(`the small group has ${smallCount} members, expected ${smallMembers.length}`);

  report.addP50Big = round(median(timings.addBig));
  report.addP50Small = round(median(timings.addSmall));
  report.removeP50Big = round(median(timings.removeBig));
  report.removeP50Small = round(median(timings.removeSmall));
  report.excludedMembersGetP50 = round(median(timings.get));
  return { recorder, report };
}

export interface ImportReport {
  users: number;
  pages: number;
  firstPageMs: number;
  lastPageMs: number;
  cursorFirstPageMs: number;
  cursorLastPageMs: number;
}

const PAGE = 100;

/**
 * import: Okta's import pages through every user with count=100, one page after another — once by startIndex
 * and once by cursor (each cursor page needs the previous page's nextCursor). Every page must have the right
 * size, and each walk must see every user exactly once; a walk the time limit cuts short is an error (each walk
 * gets half of the phase's time). Then the first and last pages of each kind are re-timed, one at a time.
 */
export async function importPhase(workload: Workload): Promise<{ recorder: PhaseRecorder; report: ImportReport }> {
  const recorder = new PhaseRecorder('import');
  const report: ImportReport = {
    users: 0,
    pages: 0,
    firstPageMs: 0,
    lastPageMs: 0,
    cursorFirstPageMs: 0,
    cursorLastPageMs: 0,
  };
  const indexPath = (page: number) => scimPath(`/Users?startIndex=${page * PAGE + 1}&count=${PAGE}`);
  const cursorPath = (cursor: string) => scimPath(`/Users?cursor=${encodeURIComponent(cursor)}&count=${PAGE}`);

  recorder.start();
  const first = await workload.scim.request('GET', indexPath(0));
  const total: unknown = jsonOf(first)?.totalResults;
  if (first.status !== 200 || typeof total !== 'number') {
    recorder.error(unexpected(first, '200 with totalResults').error!);
    recorder.stop();
    return { recorder, report };
  }
  report.users = total;
  const pages = Math.max(1, Math.ceil(total / PAGE));
  report.pages = pages;
  const pageSize = (page: number) => Math.max(0, Math.min(PAGE, total - page * PAGE));
  const walkSeconds = workload.options.maxSeconds / 2;

  /** One sequential walk; `next` answers the path of the following page, or undefined after the last. */
  const walk = async (
    kind: string,
    firstPath: string,
    next: (page: number, list: any) => string | undefined | Error,
  ) => {
    const seen = new Set<string>();
    const deadline = performance.now() + walkSeconds * 1000;
    let path: string | undefined = firstPath;
    let lastPath = firstPath;
    let page = 0;
    for (; path !== undefined && page <= pages; page++) {
      if (performance.now() > deadline) {
        recorder.checkFailed(`${kind} paging: only ${page} of ${pages} pages within ${walkSeconds} s`);
        return { seen, lastPath, complete: false };
      }
      try {
        const response = await workload.scim.request('GET', path);
        const list = jsonOf(response);
        if (response.status !== 200) {
          recorder.error(`${kind} page ${page + 1}: ${unexpected(response, '200').error}`);
          return { seen, lastPath, complete: false };
        }
        const resources: { id: string }[] = list?.Resources ?? [];
        const following = next(page, list);
        const wrongSize =
          resources.length !== pageSize(page) || list.itemsPerPage !== resources.length || list.totalResults !== total;
        if (wrongSize || following instanceof Error) {
          const why =
            following instanceof Error ? following.message : `${resources.length} users, expected ${pageSize(page)}`;
          recorder.error(`${kind} page ${page + 1}: ${why}`);
          return { seen, lastPath, complete: false };
        }
        recorder.ok(response.ms);
        for (const resource of resources) seen.add(resource.id);
        lastPath = path;
        path = following;
      } catch (error) {
        recorder.error(`${kind} page ${page + 1}: ${(error as Error).message}`);
        return { seen, lastPath, complete: false };
      }
    }
    if (seen.size !== total) recorder.checkFailed(`${kind} paging saw ${seen.size} distinct users of ${total}`);
    return { seen, lastPath, complete: seen.size === total };
  };

  await walk('startIndex', indexPath(0), (page, list) => {
    if (list.startIndex !== page * PAGE + 1)
      return new Error(`startIndex ${list.startIndex}, expected ${page * PAGE + 1}`);
    return page + 1 < pages ? indexPath(page + 1) : undefined;
  });
  const byCursor = await walk('cursor', cursorPath(''), (page, list) => {
    const isLast = page === pages - 1;
    if (isLast) return list.nextCursor === undefined ? undefined : new Error('nextCursor on the last page');
    return typeof list.nextCursor === 'string'
      ? cursorPath(list.nextCursor)
      : new Error('no nextCursor before the last page');
  });
  recorder.stop();

  const retime = async (path: string) => {
    const times: number[] = [];
    for (let i = 0; i < workload.options.pageSamples; i++) {
      const response = await workload.scim.request('GET', path);
      if (response.status === 200) times.push(response.ms);
    }
    return round(median(times));
  };
  report.firstPageMs = await retime(indexPath(0));
  report.lastPageMs = await retime(indexPath(pages - 1));
  report.cursorFirstPageMs = await retime(cursorPath(''));
  // The last cursor page can only be asked for with the cursor that leads to it: 0 when the walk never got there.
  report.cursorLastPageMs = byCursor.complete ? await retime(byCursor.lastPath) : 0;
  return { recorder, report };
}
