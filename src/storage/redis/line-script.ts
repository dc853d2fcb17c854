import { MAX_ROUND } from '../../core/queue/fair-order.js';

/**
 * The shared line as Redis scripts: each runs atomically, so replicas never disagree about who
 * holds a slot or who is next. The order is kept as a sorted set whose score packs the fair rule
 * of fair-order.ts (round × 10^13 + arrival ms; ties by request id, as Redis orders equal scores),
 * so a position is one ZRANK. Every entry has a lease its replica renews; an entry whose lease
 * lapsed (its replica died) is dropped, freeing its slot. Keys:
 *   line      sorted set  waiting request id → round × 10^13 + arrival
 *   slots     sorted set  slot-holding request id → lease expiry (ms)
 *   waitlease sorted set  waiting request id → lease expiry (ms)
 *   meta      hash        request id → {"u": user key, "t": arrival}
 *   held      hash        user key → slots held
 *   u:<user>  sorted set  the user's waiting request ids → arrival
 *   state     hash        pausedUntil, streak (409s in a row), probe (the one job trying after a 409)
 * ARGV[1] is the key prefix and ARGV[2] the limit; the rest depend on the command.
 */
const PRELUDE = `
local P = ARGV[1]
local limit = tonumber(ARGV[2])
local LINE, SLOTS, WAITLEASE, META, HELD, STATE = P..'line', P..'slots', P..'waitlease', P..'meta', P..'held', P..'state'
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local changed = false

local function meta(rid)
  local m = redis.call('HGET', META, rid)
  if m then return cjson.decode(m) end
  return nil
end

local function rescore(user)
  local ids = redis.call('ZRANGE', P..'u:'..user, 0, -1, 'WITHSCORES')
  local held = tonumber(redis.call('HGET', HELD, user) or '0')
  for i = 1, #ids, 2 do
    local round = math.min(${MAX_ROUND}, held + (i + 1) / 2)
    redis.call('ZADD', LINE, round * 1e13 + tonumber(ids[i + 1]), ids[i])
  end
end

local function addHeld(user, delta)
  local n = redis.call('HINCRBY', HELD, user, delta)
  if n <= 0 then redis.call('HDEL', HELD, user) end
end

local function leaveLine(rid, user)
  redis.call('ZREM', LINE, rid)
  redis.call('ZREM', WAITLEASE, rid)
  redis.call('ZREM', P..'u:'..user, rid)
end

local function enterLine(rid, m, expiry)
  redis.call('ZADD', P..'u:'..m.u, m.t, rid)
  redis.call('ZADD', WAITLEASE, expiry, rid)
  rescore(m.u)
end

local function freeSlot(rid, user)
  if redis.call('ZREM', SLOTS, rid) == 1 then
    addHeld(user, -1)
    return true
  end
  return false
end

local function forget(rid)
  local m = meta(rid)
  if not m then
    redis.call('ZREM', SLOTS, rid)
    leaveLine(rid, '')
    return false
  end
  local freed = freeSlot(rid, m.u)
  leaveLine(rid, m.u)
  redis.call('HDEL', META, rid)
  if redis.call('HGET', STATE, 'probe') == rid then redis.call('HDEL', STATE, 'probe') end
  rescore(m.u)
  changed = true
  return freed
end

local function purge()
  for _, rid in ipairs(redis.call('ZRANGEBYSCORE', SLOTS, '-inf', now)) do forget(rid) end
  for _, rid in ipairs(redis.call('ZRANGEBYSCORE', WAITLEASE, '-inf', now)) do forget(rid) end
end

local function fill()
  if tonumber(redis.call('HGET', STATE, 'pausedUntil') or '0') > now then return end
  local probing = tonumber(redis.call('HGET', STATE, 'streak') or '0') > 0
  if probing and redis.call('HEXISTS', STATE, 'probe') == 1 then return end
  while redis.call('ZCARD', SLOTS) < limit do
    local rid = redis.call('ZRANGE', LINE, 0, 0)[1]
    if not rid then return end
    local m = meta(rid)
    local expiry = redis.call('ZSCORE', WAITLEASE, rid) or (now + 1000)
    leaveLine(rid, m.u)
    redis.call('ZADD', SLOTS, expiry, rid)
    addHeld(m.u, 1)
    rescore(m.u)
    changed = true
    if probing then
      redis.call('HSET', STATE, 'probe', rid)
      return
    end
  end
end

local function placeOf(rid)
  if redis.call('ZSCORE', SLOTS, rid) then return 0 end
  local rank = redis.call('ZRANK', LINE, rid)
  if rank then return rank + 1 end
  return -1
end

local function finish(result)
  if changed then redis.call('PUBLISH', P..'changed', '1') end
  return result
end

purge()
`;

/** ARGV: prefix, limit, request id, user key, arrival, lease ms. Returns the place (0 = slot, -1 = missing). */
const JOIN = `
local rid, user, arrival, lease = ARGV[3], ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6])
if redis.call('ZSCORE', SLOTS, rid) then
  redis.call('ZADD', SLOTS, now + lease, rid)
elseif redis.call('ZSCORE', LINE, rid) then
  redis.call('ZADD', WAITLEASE, now + lease, rid)
else
  redis.call('HSET', META, rid, cjson.encode({u = user, t = arrival}))
  enterLine(rid, {u = user, t = arrival}, now + lease)
  changed = true
end
fill()
return finish(placeOf(rid))
`;

/** ARGV: prefix, limit, request id, user key, arrival, lease ms. */
const HOLD = `
local rid, user, arrival, lease = ARGV[3], ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6])
if not redis.call('ZSCORE', SLOTS, rid) then
  redis.call('HSET', META, rid, cjson.encode({u = user, t = arrival}))
  leaveLine(rid, user)
  addHeld(user, 1)
  changed = true
end
redis.call('ZADD', SLOTS, now + lease, rid)
rescore(user)
return finish(0)
`;

/** ARGV: prefix, limit, request id. */
const CREATED = `
local rid = ARGV[3]
if tonumber(redis.call('HGET', STATE, 'streak') or '0') > 0 or redis.call('HGET', STATE, 'probe') == rid then
  redis.call('DEL', STATE)
  fill()
end
return finish(0)
`;

/** ARGV: prefix, limit, request id, pause base ms, pause cap ms. Returns the pause (ms). */
const BUSY = `
local rid, base, cap = ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
local m = meta(rid)
if m then
  local expiry = redis.call('ZSCORE', SLOTS, rid) or redis.call('ZSCORE', WAITLEASE, rid) or (now + 1000)
  freeSlot(rid, m.u)
  enterLine(rid, m, expiry)
end
if redis.call('HGET', STATE, 'probe') == rid then redis.call('HDEL', STATE, 'probe') end
local streak = redis.call('HINCRBY', STATE, 'streak', 1)
local pause = math.min(cap, base * 2 ^ (streak - 1))
redis.call('HSET', STATE, 'pausedUntil', now + pause)
changed = true
return finish(pause)
`;

/** ARGV: prefix, limit, request id. */
const RELEASE = `
local rid = ARGV[3]
if forget(rid) then redis.call('HDEL', STATE, 'pausedUntil') end
fill()
return finish(0)
`;

/** ARGV: prefix, limit, lease ms, request ids…. Returns each one's place (0 = slot, -1 = missing). */
const LOOK = `
local lease = tonumber(ARGV[3])
fill()
local places = {}
for i = 4, #ARGV do
  local rid = ARGV[i]
  if redis.call('ZSCORE', SLOTS, rid) then
    redis.call('ZADD', SLOTS, 'XX', now + lease, rid)
  elseif redis.call('ZSCORE', WAITLEASE, rid) then
    redis.call('ZADD', WAITLEASE, 'XX', now + lease, rid)
  end
  places[#places + 1] = placeOf(rid)
end
return finish(places)
`;

export const LINE_SCRIPTS = {
  lineJoin: JOIN,
  lineHold: HOLD,
  lineCreated: CREATED,
  lineBusy: BUSY,
  lineRelease: RELEASE,
  lineLook: LOOK,
} as const;

export function lineScript(body: string): string {
  return PRELUDE + body;
}
