/**
 * Every random stream id of the harness, handed out here and nowhere else.
 * A stream is (seed, id): two users of the same seed must never share an id,
 * or their choices would be correlated. The values are those the streams
 * had before this module existed, so a seed (and a recorded schedule)
 * still means what it meant.
 */

/** Roles: one stream per thread slot, [0, ROLE_LIMIT). */
const ROLE_LIMIT = 1 << 16;
/** Preemption-point injection: one per slot, [POINT_BASE, POINT_BASE + ROLE_LIMIT). */
const POINT_BASE = 1 << 16;
/** Swarm's draw of fault kinds: one stream. */
const SWARM = 1 << 20;
/** Soak: seed j of a matrix, [SOAK_BASE, SCHEDULE_BASE). */
const SOAK_BASE = 0x50a0000;
/** Sim: schedule i's parameters, [SCHEDULE_BASE, 2^31). */
const SCHEDULE_BASE = 0x5c4e0000;

function within(what: string, i: number, limit: number): number {
  if (!Number.isInteger(i) || i < 0 || i >= limit) throw new RangeError(`${what} ${i} is outside its random stream range [0, ${limit})`);
  return i;
}

export const STREAMS = {
  role: (slot: number): number => within('thread slot', slot, ROLE_LIMIT),
  point: (slot: number): number => POINT_BASE + within('thread slot', slot, ROLE_LIMIT),
  swarm: (): number => SWARM,
  soakSeed: (index: number): number => SOAK_BASE + within('soak seed index', index, SCHEDULE_BASE - SOAK_BASE),
  schedule: (index: number): number => SCHEDULE_BASE + within('schedule index', index, 0x7fffffff - SCHEDULE_BASE),
} as const;
