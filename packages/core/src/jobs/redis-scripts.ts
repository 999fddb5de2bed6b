import { createHash } from 'node:crypto';

/** A Lua script for EVALSHA, with its source for Redis servers that have not seen it yet. */
export interface LuaScript {
  source: string;
  sha: string;
}

// Every script takes the key prefix as ARGV[1] and builds its keys from it, because the
// keys it touches depend on ids it reads (a single Redis, not Redis Cluster).
//   P:seq         the id counter (INCR)           P:epoch       which keyspace this is
//   P:job:N       hash: s status (q r d e), v result JSON or reason, o owner, q spec, a takeovers
//   P:ids         zset of every job, by id        P:pending     set of jobs queued or running
//   P:owned:I     jobs instance I must finish     P:lease:I     present while instance I lives
//   P:instances   set of instance ids             P:orphans     list of jobs waiting for a new owner
//   P:expiry      zset: job -> expiry (ms)        P:recovering  present while ids must not be issued
const LIBRARY = `
local P = ARGV[1]
local function jobKey(id) return P .. ':job:' .. id end
local function nowMs()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end

local function recordPending(id, owner, spec)
  redis.call('HSET', jobKey(id), 's', 'q', 'o', owner, 'q', spec)
  redis.call('ZADD', P .. ':ids', id, id)
  redis.call('SADD', P .. ':pending', id)
  redis.call('SADD', P .. ':owned:' .. owner, id)
end

-- The final status and its value land in one hash write, so no reader sees one without the
-- other; the first final status wins, so a job taken over twice still has one outcome.
local function finish(id, status, value, retention)
  local key = jobKey(id)
  local s, owner = unpack(redis.call('HMGET', key, 's', 'o'))
  if s == 'd' or s == 'e' then return 0 end
  if owner and owner ~= '' then redis.call('SREM', P .. ':owned:' .. owner, id) end
  redis.call('DEL', key)
  redis.call('HSET', key, 's', status, 'v', value)
  redis.call('SREM', P .. ':pending', id)
  redis.call('ZADD', P .. ':ids', id, id)
  if retention > 0 then
    redis.call('EXPIRE', key, retention)
    redis.call('ZADD', P .. ':expiry', nowMs() + retention * 1000, id)
  end
  return 1
end

local function release(id)
  redis.call('HSET', jobKey(id), 's', 'q', 'o', '')
  redis.call('RPUSH', P .. ':orphans', id)
end
`;

function lua(body: string): LuaScript {
  const source = LIBRARY + body;
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/** The atomic steps of the Redis store; each runs as one script, so instances never interleave inside one. */
export const SCRIPTS = {
  /** ARGV: P, epoch, instance, spec → the new job number; -1 when the keyspace is not `epoch`, -2 while recovering. */
  accept: lua(`
if redis.call('GET', P .. ':epoch') ~= ARGV[2] then return -1 end
if redis.call('EXISTS', P .. ':recovering') == 1 then return -2 end
local id = redis.call('INCR', P .. ':seq')
recordPending(id, ARGV[3], ARGV[4])
return id
`),

  /** ARGV: P, id… → marks queued jobs running. */
  started: lua(`
for i = 2, #ARGV do
  if redis.call('HGET', jobKey(ARGV[i]), 's') == 'q' then redis.call('HSET', jobKey(ARGV[i]), 's', 'r') end
end
return 0
`),

  /** ARGV: P, retention seconds, then (id, 'd' | 'e', result JSON | reason)… → final statuses. */
  finish: lua(`
local retention = tonumber(ARGV[2])
for i = 3, #ARGV, 3 do finish(ARGV[i], ARGV[i + 1], ARGV[i + 2], retention) end
return 0
`),

  /** ARGV: P, id… → each job's status letter, '' for none. */
  statuses: lua(`
local out = {}
for i = 2, #ARGV do out[#out + 1] = redis.call('HGET', jobKey(ARGV[i]), 's') or '' end
return out
`),

  /** ARGV: P, offset, count → { jobs scanned, id, status, id, status… } in id order. */
  list: lua(`
local ids = redis.call('ZRANGE', P .. ':ids', ARGV[2], tonumber(ARGV[2]) + tonumber(ARGV[3]) - 1)
local out = { #ids }
for _, id in ipairs(ids) do
  local s = redis.call('HGET', jobKey(id), 's')
  if s then
    out[#out + 1] = id
    out[#out + 1] = s
  end
end
return out
`),

  /**
   * ARGV: P, epoch, instance, lease ms, most takeovers, retention seconds, reason.
   * Renews this instance's lease; hands the unfinished jobs of instances whose lease ran out
   * to the orphan list (or fails them once taken over too often); drops expired jobs from the
   * list. → { 1 | -1 when the keyspace is not epoch, the id counter, orphans waiting }.
   */
  heartbeat: lua(`
if redis.call('GET', P .. ':epoch') ~= ARGV[2] then return { -1, 0, 0 } end
redis.call('SET', P .. ':lease:' .. ARGV[3], '1', 'PX', ARGV[4])
redis.call('SADD', P .. ':instances', ARGV[3])
for _, other in ipairs(redis.call('SMEMBERS', P .. ':instances')) do
  if redis.call('EXISTS', P .. ':lease:' .. other) == 0 then
    for _, id in ipairs(redis.call('SMEMBERS', P .. ':owned:' .. other)) do
      local s = redis.call('HGET', jobKey(id), 's')
      if s == 'q' or s == 'r' then
        if redis.call('HINCRBY', jobKey(id), 'a', 1) > tonumber(ARGV[5]) then
          finish(id, 'e', ARGV[7], tonumber(ARGV[6]))
        else
          release(id)
        end
      end
    end
    redis.call('DEL', P .. ':owned:' .. other)
    redis.call('SREM', P .. ':instances', other)
  end
end
local expired = redis.call('ZRANGEBYSCORE', P .. ':expiry', '-inf', nowMs(), 'LIMIT', 0, 1000)
for _, id in ipairs(expired) do
  redis.call('ZREM', P .. ':ids', id)
  redis.call('ZREM', P .. ':expiry', id)
end
return { 1, tonumber(redis.call('GET', P .. ':seq') or '0'), redis.call('LLEN', P .. ':orphans') }
`),

  /** ARGV: P, instance, most jobs → { id, spec, id, spec… } now owned by the instance. */
  adopt: lua(`
local out = {}
while #out < 2 * tonumber(ARGV[3]) do
  local id = redis.call('LPOP', P .. ':orphans')
  if not id then break end
  local s, owner, spec = unpack(redis.call('HMGET', jobKey(id), 's', 'o', 'q'))
  if s == 'q' and owner == '' then
    redis.call('HSET', jobKey(id), 'o', ARGV[2])
    redis.call('SADD', P .. ':owned:' .. ARGV[2], id)
    out[#out + 1] = id
    out[#out + 1] = spec
  end
end
return out
`),

  /** ARGV: P, instance, id… → hands jobs the instance owns but does not run to the orphan list. */
  release: lua(`
for i = 3, #ARGV do
  local s, owner = unpack(redis.call('HMGET', jobKey(ARGV[i]), 's', 'o'))
  if (s == 'q' or s == 'r') and owner == ARGV[2] then
    redis.call('SREM', P .. ':owned:' .. ARGV[2], ARGV[i])
    release(ARGV[i])
  end
end
return 0
`),

  /**
   * ARGV: P, new epoch, recovery ms, highest id known. Creates the keyspace's epoch when it is
   * missing (a new or emptied Redis) and then holds ids back for the recovery time, so that
   * every live instance can raise the counter above the ids it knows first.
   * → { epoch, ms left before ids may be issued (negative: none) }.
   */
  rejoin: lua(`
local epoch = redis.call('GET', P .. ':epoch')
if not epoch then
  epoch = ARGV[2]
  redis.call('SET', P .. ':epoch', epoch)
  redis.call('SET', P .. ':recovering', '1', 'PX', ARGV[3])
end
if tonumber(redis.call('GET', P .. ':seq') or '0') < tonumber(ARGV[4]) then redis.call('SET', P .. ':seq', ARGV[4]) end
return { epoch, redis.call('PTTL', P .. ':recovering') }
`),

  /** ARGV: P, instance, then (id, spec)… → records the instance's pending jobs that Redis lost. */
  reseed: lua(`
for i = 3, #ARGV, 2 do
  if redis.call('EXISTS', jobKey(ARGV[i])) == 0 then recordPending(ARGV[i], ARGV[2], ARGV[i + 1]) end
end
return 0
`),

  /** ARGV: P, instance → ends the instance's lease; jobs it still owns go to the next heartbeat's reaper. */
  leave: lua(`
redis.call('DEL', P .. ':lease:' .. ARGV[2])
if redis.call('SCARD', P .. ':owned:' .. ARGV[2]) == 0 then redis.call('SREM', P .. ':instances', ARGV[2]) end
return 0
`),
};
