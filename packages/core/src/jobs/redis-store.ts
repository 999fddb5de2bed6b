import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { shown } from '../errors';
import { memoryStore } from './memory-store';
import { RedisConnection } from './redis-connection';
import { type LuaScript, SCRIPTS } from './redis-scripts';
import { StatusTable } from './status-table';
import type { AdoptedJob, JobPage, JobStatus, RecoveredJobs, ResultStore, SharedJobs, StoredOutcome } from './store';

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /** `redis://[[user]:password@]host[:port][/db]`, or `rediss://` for TLS. */
  url: string;
  /** Start of every key, so several services can share one Redis (default `lestats`). */
  prefix?: string;
  /** Seconds a finished job stays in Redis (whole number); unset keeps it until the keys are deleted. */
  retentionSeconds?: number;
  /**
   * Where this instance also keeps the outcomes of its own jobs (default: {@link memoryStore}).
   * It answers them while Redis is out of reach and publishes them again if Redis comes back
   * empty. Give a `fileStore` to keep the payloads on disk rather than in the heap.
   */
  mirror?: ResultStore;
  /**
   * Milliseconds an instance stays presumed alive without renewing its lease (default 5000).
   * It renews five times per lease; the jobs of an instance whose lease ran out go to others.
   */
  leaseMs?: number;
}

const OWN_PENDING = 1;
const OWN_CODE = { done: 3, error: 4 } as const;
const STATUS_OF: Record<string, JobStatus> = { q: 'queued', r: 'running', d: 'done', e: 'error' };
const LETTER_OF = { done: 'd', error: 'e' } as const;
// A job is run at most this many more times after the instances holding it died.
const MAX_TAKEOVERS = 2;
const DIED = 'instance died: every instance that took this job stopped before finishing it';
// Jobs per script call when publishing many at once, and per page when listing everything.
const BATCH = 500;
const LIST_CHUNK = 10_000;

function checkOptions(options: RedisStoreOptions): Required<Omit<RedisStoreOptions, 'mirror'>> {
  const { url, prefix = 'lestats', retentionSeconds, leaseMs = 5000 } = options;
  if (typeof url !== 'string' || !/^rediss?:\/\/./.test(url)) {
    throw new TypeError(`the Redis URL must look like redis://host:port/db, got ${JSON.stringify(url)}`);
  }
  if (typeof prefix !== 'string' || prefix === '')
    throw new TypeError('the Redis key prefix must be a non-empty string');
  if (retentionSeconds !== undefined && (!Number.isSafeInteger(retentionSeconds) || retentionSeconds < 1)) {
    throw new RangeError(`retentionSeconds must be a whole number >= 1, got ${shown(retentionSeconds)}`);
  }
  if (!Number.isSafeInteger(leaseMs) || leaseMs < 100)
    throw new RangeError(`leaseMs must be a whole number >= 100, got ${shown(leaseMs)}`);
  // Zero means "keep": the scripts set no expiry then.
  return { url, prefix, retentionSeconds: retentionSeconds ?? 0, leaseMs };
}

/**
 * A {@link ResultStore} in Redis that several server instances share, so that they act as
 * one service: ids from one counter (`INCR`), every job's status and outcome, the job list
 * in id order and the pending count (see {@link SharedJobs}). Each instance runs the jobs it
 * accepted on its own pool and renews a lease; the unfinished jobs of an instance whose
 * lease runs out are taken over by the others. A Redis that comes back empty is filled
 * again by the live instances from what they hold. ioredis is loaded on `open()` only.
 *
 * @example
 * ```ts
 * const runner = new JobRunner({ data, store: redisStore({ url: 'redis://127.0.0.1:6379/0' }) });
 * await runner.ready(); // rejects with code 'store_unavailable' when Redis cannot be reached
 * ```
 */
export function redisStore(options: RedisStoreOptions): ResultStore {
  return new RedisStore(checkOptions(options), options.mirror ?? memoryStore());
}

class RedisStore implements ResultStore, SharedJobs {
  readonly shared: SharedJobs = this;
  readonly #options: Required<Omit<RedisStoreOptions, 'mirror'>>;
  readonly #mirror: ResultStore;
  readonly #instance = randomUUID();
  readonly #heartbeatMs: number;
  /** Longest pause between reconnection attempts: a restarted Redis is found within it. */
  readonly #reconnectMs: number;
  /** This instance's jobs: pending ones (with their specs, to re-publish them) and finished ones. */
  readonly #own = new StatusTable();
  readonly #specs = new Map<number, string>();
  /** Finished jobs of this instance whose outcome Redis has not taken yet. */
  readonly #unpublished = new Set<number>();
  #connection: RedisConnection | undefined;
  #epoch = '';
  #highestId = 0;
  /** Acceptances and adoptions in flight, and whether one failed after it may have reached Redis. */
  readonly #claims = new Set<Promise<unknown>>();
  #unsure = false;
  #beating = false;
  #rejoining: Promise<number> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #onOrphans: (() => void) | undefined;

  constructor(options: Required<Omit<RedisStoreOptions, 'mirror'>>, mirror: ResultStore) {
    this.#options = options;
    this.#mirror = mirror;
    this.#heartbeatMs = Math.floor(options.leaseMs / 5);
    this.#reconnectMs = Math.min(500, this.#heartbeatMs);
  }

  async open(): Promise<RecoveredJobs> {
    const connection = await RedisConnection.open(this.#options.url, this.#reconnectMs);
    this.#connection = connection;
    try {
      const recovered = await this.#mirror.open();
      const finished = [...recovered.finished];
      for (const [id, status] of finished) this.#own.set(id, OWN_CODE[status]);
      this.#highestId = recovered.lastId;
      // Ready only once Redis hands out ids again. One sleep is not enough: PTTL rounds down
      // (to 0 in the hold's last millisecond), a timer may fire a millisecond early, and a
      // keyspace lost again meanwhile is held anew; so ask Redis until the hold is gone.
      for (let holdMs = await this.#rejoin(); holdMs >= 0; holdMs = await this.#holdLeft()) await sleep(holdMs + 1);
      connection.onReconnect(() => void this.#beat());
      this.#timer = setInterval(() => void this.#beat(), this.#heartbeatMs).unref();
      return { lastId: this.#highestId, finished };
    } catch (error) {
      this.#connection = undefined;
      await connection.close();
      throw error;
    }
  }

  async save(id: number, outcome: StoredOutcome): Promise<void> {
    await this.#mirror.save(id, outcome);
    this.#own.set(id, OWN_CODE[outcome.status]);
    this.#specs.delete(id);
    try {
      await this.#run(SCRIPTS.finish, [this.#options.retentionSeconds, ...this.#finishArgs(id, outcome)]);
    } catch {
      // Kept in the mirror; the first heartbeat after Redis returns publishes it.
      this.#unpublished.add(id);
    }
  }

  async read(id: number): Promise<StoredOutcome | undefined> {
    if (this.#own.get(id) > OWN_PENDING) return this.#mirror.read(id);
    const [status, value] = await this.#link.call((client) =>
      client.hmget(`${this.#options.prefix}:job:${id}`, 's', 'v'),
    );
    if (status === 'd') return { status: 'done', json: value as string };
    if (status === 'e') return { status: 'error', reason: value as string };
    return undefined;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    const connection = this.#connection;
    // The runner closes its store even when opening failed: then there is nothing to release.
    if (connection === undefined) return;
    await this.#publish([...this.#unpublished]).catch(() => {});
    await connection.run(SCRIPTS.leave, [this.#options.prefix, this.#instance]).catch(() => {});
    await connection.close();
    await this.#mirror.close();
  }

  accept(spec: string): Promise<number> {
    return this.#claim(async () => {
      const id = Number(await this.#run(SCRIPTS.accept, [this.#epoch, this.#instance, spec]));
      if (id === -1) {
        this.#rejoin().catch(() => {});
        throw this.#link.unavailable('it lost its data; the instances are publishing their jobs again');
      }
      if (id === -2) throw this.#link.unavailable('it is being refilled after losing its data; retry in a moment');
      this.#own.set(id, OWN_PENDING);
      this.#specs.set(id, spec);
      this.#highestId = Math.max(this.#highestId, id);
      return id;
    });
  }

  started(ids: readonly number[]): void {
    this.#run(SCRIPTS.started, ids).catch(() => {});
  }

  async statuses(ids: readonly number[]): Promise<Array<JobStatus | undefined>> {
    const letters = (await this.#run(SCRIPTS.statuses, ids)) as string[];
    return letters.map((letter) => STATUS_OF[letter]);
  }

  async list({ offset, limit }: JobPage): Promise<Array<[id: number, status: JobStatus]>> {
    const out: Array<[number, JobStatus]> = [];
    for (let from = offset; out.length < limit; ) {
      const count = Math.min(LIST_CHUNK, limit - out.length);
      const [scanned, ...pairs] = (await this.#run(SCRIPTS.list, [from, count])) as [number, ...string[]];
      for (let i = 0; i < pairs.length; i += 2)
        out.push([Number(pairs[i]), STATUS_OF[pairs[i + 1] as string] as JobStatus]);
      if (scanned < count) break;
      from += scanned;
    }
    return out;
  }

  pendingCount(): Promise<number> {
    return this.#link.call((client) => client.scard(`${this.#options.prefix}:pending`));
  }

  adopt(max: number): Promise<AdoptedJob[]> {
    return this.#claim(async () => {
      const pairs = (await this.#run(SCRIPTS.adopt, [this.#instance, max])) as string[];
      const jobs: AdoptedJob[] = [];
      for (let i = 0; i < pairs.length; i += 2) {
        const id = Number(pairs[i]);
        const spec = pairs[i + 1] as string;
        this.#own.set(id, OWN_PENDING);
        this.#specs.set(id, spec);
        jobs.push({ id, spec });
      }
      return jobs;
    });
  }

  onOrphans(listener: () => void): void {
    this.#onOrphans = listener;
  }

  /** How long new ids are still held back after a rejoin, in ms; negative once they are not. */
  #holdLeft(): Promise<number> {
    return this.#link.call((client) => client.pttl(`${this.#options.prefix}:recovering`));
  }

  get #link(): RedisConnection {
    if (this.#connection === undefined) throw new Error('the Redis store is not open');
    return this.#connection;
  }

  /**
   * Runs an acceptance or adoption: a script that makes jobs this instance's. Its command
   * leaves at once (before `work` first waits), and the claim is remembered until it
   * settles, so that strays can be told from jobs whose claim is still answering.
   */
  #claim<T>(work: () => Promise<T>): Promise<T> {
    const claim = work().catch((error: unknown) => {
      // The script may have run before the connection broke: look for such jobs later.
      this.#unsure = true;
      throw error;
    });
    this.#claims.add(claim);
    const forget = () => this.#claims.delete(claim);
    claim.then(forget, forget);
    return claim;
  }

  #run(script: LuaScript, args: ReadonlyArray<string | number>): Promise<unknown> {
    return this.#link.run(script, [this.#options.prefix, ...args]);
  }

  #finishArgs(id: number, outcome: StoredOutcome): Array<string | number> {
    return [id, LETTER_OF[outcome.status], outcome.status === 'done' ? outcome.json : outcome.reason];
  }

  /** Renews the lease, reaps dead instances, publishes what waited for Redis, and offers orphans. */
  async #beat(): Promise<void> {
    if (this.#beating || !this.#link.ready) return;
    this.#beating = true;
    try {
      if (!(await this.#renewLease())) await this.#rejoin();
      await this.#publish([...this.#unpublished]);
      if (this.#unsure) await this.#releaseStrays();
    } catch {
      // Redis is out of reach again: the next beat, or the reconnection, tries again.
    } finally {
      this.#beating = false;
    }
  }

  /** False when Redis holds another keyspace than the one this instance joined (it lost its data). */
  async #renewLease(): Promise<boolean> {
    const { leaseMs, retentionSeconds } = this.#options;
    const [state, counter, orphans] = (await this.#run(SCRIPTS.heartbeat, [
      this.#epoch,
      this.#instance,
      leaseMs,
      MAX_TAKEOVERS,
      retentionSeconds,
      DIED,
    ])) as [number, number, number];
    if (state !== 1) return false;
    this.#highestId = Math.max(this.#highestId, counter);
    if (orphans > 0) this.#onOrphans?.();
    return true;
  }

  /**
   * Joins the keyspace, creating it when Redis is new or came back empty: raises the id
   * counter above every id this instance knows, publishes its jobs again, takes a lease.
   * Resolves with how long new ids are still held back (PTTL: negative when they are not).
   */
  #rejoin(): Promise<number> {
    this.#rejoining ??= (async () => {
      try {
        // Long enough for every live instance to notice the loss (at its next heartbeat or
        // reconnection) and raise the counter above the ids it knows.
        const holdMs = this.#heartbeatMs + 2 * this.#reconnectMs;
        const [epoch, waitMs] = (await this.#run(SCRIPTS.rejoin, [randomUUID(), holdMs, this.#highestId])) as [
          string,
          number,
        ];
        this.#epoch = epoch;
        await this.#reseed();
        await this.#renewLease();
        return waitMs;
      } finally {
        this.#rejoining = undefined;
      }
    })();
    return this.#rejoining;
  }

  /** Publishes this instance's jobs where Redis lacks them: pending ones, then outcomes. */
  async #reseed(): Promise<void> {
    const pending = [...this.#specs];
    for (let i = 0; i < pending.length; i += BATCH) {
      await this.#run(SCRIPTS.reseed, [this.#instance, ...pending.slice(i, i + BATCH).flat()]);
    }
    const finished: number[] = [];
    for (const [id, code] of this.#own.entries()) if (code !== OWN_PENDING) finished.push(id);
    await this.#publish(finished);
  }

  /** Writes outcomes from the mirror to Redis (a job that already has one keeps it). */
  async #publish(ids: number[]): Promise<void> {
    for (let i = 0; i < ids.length; i += BATCH) {
      const batch = ids.slice(i, i + BATCH);
      const args: Array<string | number> = [this.#options.retentionSeconds];
      for (const [j, outcome] of (await Promise.all(batch.map((id) => this.#mirror.read(id)))).entries()) {
        if (outcome !== undefined) args.push(...this.#finishArgs(batch[j] as number, outcome));
      }
      if (args.length > 1) await this.#run(SCRIPTS.finish, args);
      for (const id of batch) this.#unpublished.delete(id);
    }
  }

  /**
   * After an acceptance or adoption failed mid-way, Redis may record jobs as this instance's
   * that it never queued; they go to the orphan list, so that some instance runs them.
   */
  async #releaseStrays(): Promise<void> {
    this.#unsure = false;
    try {
      // Claims sent before the listing ran before it in Redis: once they settle, every job
      // they made this instance's is known here, and what is still unknown is a stray.
      const claims = [...this.#claims];
      const owned = await this.#link.call((client) =>
        client.smembers(`${this.#options.prefix}:owned:${this.#instance}`),
      );
      await Promise.allSettled(claims);
      const strays = owned.filter((id) => this.#own.get(Number(id)) === 0);
      if (strays.length > 0) await this.#run(SCRIPTS.release, [this.#instance, ...strays]);
    } catch (error) {
      this.#unsure = true;
      throw error;
    }
  }
}
