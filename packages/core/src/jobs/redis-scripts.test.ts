import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LuaScript, SCRIPTS } from './redis-scripts';
import { redisServerBinary, TestRedis } from './test-redis/redis-server';

const binary = redisServerBinary();

// The store's tests reach these cases only through races between instances; here each
// script runs on a keyspace set up by hand, one fresh prefix per test.
describe.skipIf(binary === undefined)('the Redis store scripts', () => {
  let redis: TestRedis;
  let client: Redis;
  let prefixes = 0;

  beforeAll(async () => {
    redis = await TestRedis.start(binary as string);
    client = new Redis(redis.url());
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });

  const newPrefix = () => `scripts${++prefixes}`;
  const run = (script: LuaScript, ...args: Array<string | number>) => client.eval(script.source, 0, ...args);

  it('adopt takes at most the jobs asked for, skipping orphans that are finished or owned again', async () => {
    const P = newPrefix();
    await client.hset(`${P}:job:1`, { s: 'q', o: '', q: 'spec 1' });
    await client.hset(`${P}:job:2`, { s: 'q', o: 'other', q: 'spec 2' });
    await client.hset(`${P}:job:3`, { s: 'd', v: '[]' });
    await client.hset(`${P}:job:4`, { s: 'q', o: '', q: 'spec 4' });
    await client.hset(`${P}:job:5`, { s: 'q', o: '', q: 'spec 5' });
    await client.rpush(`${P}:orphans`, 1, 2, 3, 4, 5);
    expect(await run(SCRIPTS.adopt, P, 'me', 2)).toEqual(['1', 'spec 1', '4', 'spec 4']);
    expect(await client.lrange(`${P}:orphans`, 0, -1)).toEqual(['5']);
    expect((await client.smembers(`${P}:owned:me`)).sort()).toEqual(['1', '4']);
    expect(await client.hget(`${P}:job:2`, 'o')).toBe('other');
  });

  it('release hands over only the unfinished jobs the instance still owns', async () => {
    const P = newPrefix();
    await client.hset(`${P}:job:1`, { s: 'r', o: 'me', q: 'spec 1' });
    await client.hset(`${P}:job:2`, { s: 'q', o: 'other', q: 'spec 2' });
    await client.hset(`${P}:job:3`, { s: 'd', v: '[]' });
    await client.sadd(`${P}:owned:me`, 1, 2);
    await run(SCRIPTS.release, P, 'me', 1, 2, 3);
    expect(await client.lrange(`${P}:orphans`, 0, -1)).toEqual(['1']);
    expect(await client.hgetall(`${P}:job:1`)).toEqual({ s: 'q', o: '', q: 'spec 1' });
    expect(await client.hget(`${P}:job:2`, 'o')).toBe('other');
    expect(await client.hgetall(`${P}:job:3`)).toEqual({ s: 'd', v: '[]' });
    expect(await client.smembers(`${P}:owned:me`)).toEqual(['2']);
  });

  it('reseed records the pending jobs Redis lacks and leaves the ones it has alone', async () => {
    const P = newPrefix();
    await client.hset(`${P}:job:1`, { s: 'd', v: '[1]' });
    await run(SCRIPTS.reseed, P, 'me', 1, 'spec 1', 2, 'spec 2');
    expect(await client.hgetall(`${P}:job:1`)).toEqual({ s: 'd', v: '[1]' });
    expect(await client.hgetall(`${P}:job:2`)).toEqual({ s: 'q', o: 'me', q: 'spec 2' });
    expect(await client.smembers(`${P}:pending`)).toEqual(['2']);
    expect(await client.smembers(`${P}:owned:me`)).toEqual(['2']);
  });

  it('rejoin creates the epoch of an empty keyspace and holds ids back once; later rejoins keep both', async () => {
    const P = newPrefix();
    const [epoch, holdMs] = (await run(SCRIPTS.rejoin, P, 'first', 5000, 7)) as [string, number];
    expect(epoch).toBe('first');
    expect(holdMs).toBeGreaterThan(0);
    expect(holdMs).toBeLessThanOrEqual(5000);
    expect(await run(SCRIPTS.accept, P, 'first', 'me', 'spec')).toBe(-2);
    expect(await run(SCRIPTS.rejoin, P, 'second', 5000, 3)).toEqual(['first', expect.any(Number)]);
    expect(await client.get(`${P}:seq`)).toBe('7');
    await client.del(`${P}:recovering`);
    expect(await run(SCRIPTS.accept, P, 'first', 'me', 'spec')).toBe(8);
  });

  it('heartbeat hands the jobs of a dead instance over and forgets the instance', async () => {
    const P = newPrefix();
    await client.set(`${P}:epoch`, 'e');
    await client.hset(`${P}:job:1`, { s: 'q', o: 'dead', q: 'spec 1' });
    await client.sadd(`${P}:owned:dead`, 1);
    await client.sadd(`${P}:instances`, 'dead');
    expect(await run(SCRIPTS.heartbeat, P, 'e', 'me', 1000, 2, 0, 'died')).toEqual([1, 0, 1]);
    expect(await client.lrange(`${P}:orphans`, 0, -1)).toEqual(['1']);
    expect(await client.smembers(`${P}:instances`)).toEqual(['me']);
    expect(await client.exists(`${P}:owned:dead`)).toBe(0);
  });
});
