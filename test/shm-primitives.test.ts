/**
 * Contention tests for the shared-memory primitives (lib/shm) on REAL worker
 * threads over the threads-engine Platform. Workers run the compiled modules
 * from dist/ (see test/fixtures/shm-worker.mjs); `npm test` builds first.
 *
 * Every multi-threaded test runs under a watchdog: if the workers do not all
 * finish in time, the abort cell is raised, the workers are terminated and
 * the test fails with the progress it had made, instead of hanging.
 *
 * The blocking tests run with `strictWait`: ThreadsPlatform.wait sleeps in
 * 50 ms slices and re-checks the cell between them, which turns a forgotten
 * wake-up into a short delay that no assertion would see. With strictWait the
 * worker's Platform waits in one unsliced Atomics.wait, so a lost wake-up
 * blocks that thread for good and the watchdog fails the test.
 */
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { ThreadsPlatform } from '../lib/platform/threads.js';
import type { PointInjection } from '../lib/platform/points.js';
import { Event, eventInit } from '../lib/shm/event.js';
import { Semaphore } from '../lib/shm/semaphore.js';
import { IntrusiveList } from '../lib/shm/list.js';
import { MPSC_QUEUE_WORDS, mpscQueueInit } from '../lib/shm/mpsc-queue.js';

const WORKER_URL = new URL('./fixtures/shm-worker.mjs', import.meta.url);

// Hand-picked cells: 0 is null (never a node), 1 the abort cell, 2 the start gate.
const ABORT = 1;
const GO = 2;
const FIRST_FREE = 8;

const live = new Set<Worker>();
afterEach(async () => {
  await Promise.all([...live].map((w) => w.terminate()));
  live.clear();
});

interface Heap { sab: SharedArrayBuffer; i32: Int32Array; epochMs: number; platform: ThreadsPlatform }

function makeHeap(words: number): Heap {
  const sab = new SharedArrayBuffer(Math.max(words, FIRST_FREE) * 4);
  const i32 = new Int32Array(sab);
  const epochMs = performance.timeOrigin + performance.now();
  return { sab, i32, epochMs, platform: new ThreadsPlatform(i32, { abortCell: ABORT, epochMs }) };
}

interface Job {
  role: string;
  params: Record<string, unknown>;
  seed?: number;
  injection?: PointInjection;
  /** Unsliced waits in the worker's Platform (see the top of this file). */
  strictWait?: boolean;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Result = any;

/**
 * Starts one worker per job, releases them together, and resolves with their
 * results in job order. Rejects (after aborting and terminating every worker)
 * when one fails, when they are not all done within `timeoutMs`, or, with
 * `stallMs`, when `progress()` has not changed for that long after the start
 * (a lost wake-up stops all progress for good; a slow machine only slows it).
 * `onStarted` runs on the main thread once every worker is past the gate.
 */
async function runWorkers(
  heap: Heap,
  jobs: Job[],
  opts: { timeoutMs: number; stallMs?: number; progress?: () => string; onStarted?: () => Promise<void> },
): Promise<Result[]> {
  const { sab, i32, epochMs } = heap;
  Atomics.store(i32, GO, 0);
  Atomics.store(i32, ABORT, 0);
  const workers = jobs.map((job, k) => {
    const w = new Worker(WORKER_URL, {
      workerData: {
        sab, role: job.role, params: job.params, abortCell: ABORT, goCell: GO, epochMs,
        seed: job.seed ?? 0x9e3779b9 * (k + 1), injection: job.injection, strictWait: job.strictWait ?? false,
      },
    });
    live.add(w);
    return w;
  });
  const results: Result[] = new Array(jobs.length);
  let ready = 0;
  let done = 0;
  let timer: NodeJS.Timeout | undefined;
  let stallTimer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (why: string): void => {
        Atomics.store(i32, ABORT, 1);
        const where = opts.progress ? ` [${opts.progress()}]` : '';
        reject(new Error(`${why}${where}`));
      };
      timer = setTimeout(() => fail(
        `timed out after ${opts.timeoutMs} ms with ${done}/${jobs.length} workers done ` +
        '(a lost wake-up or a lost node leaves a thread blocked)'), opts.timeoutMs);
      const watchStalls = (): void => {
        const { stallMs, progress } = opts;
        if (stallMs === undefined || progress === undefined) return;
        let last = progress();
        let lastChange = Date.now();
        stallTimer = setInterval(() => {
          const now = progress();
          if (now !== last) {
            last = now;
            lastChange = Date.now();
          } else if (Date.now() - lastChange > stallMs) {
            fail(`no progress for ${stallMs} ms with ${done}/${jobs.length} workers done ` +
              '(a lost wake-up leaves a thread blocked for good)');
          }
        }, 100);
      };
      workers.forEach((w, k) => {
        w.on('message', (m: { type: string; result?: Result; message?: string; stack?: string }) => {
          if (m.type === 'ready') {
            if (++ready === jobs.length) {
              Atomics.store(i32, GO, 1);
              Atomics.notify(i32, GO);
              watchStalls();
              opts.onStarted?.().catch((e: unknown) => fail(`onStarted: ${String(e)}`));
            }
          } else if (m.type === 'done') {
            results[k] = m.result;
            if (++done === jobs.length) resolve();
          } else if (m.type === 'error') {
            fail(`worker ${k} (${jobs[k].role}) failed: ${m.stack ?? m.message}`);
          }
        });
        w.on('error', (e) => fail(`worker ${k} (${jobs[k].role}) crashed: ${e.stack ?? String(e)}`));
        w.on('exit', (code) => {
          if (results[k] === undefined) fail(`worker ${k} (${jobs[k].role}) exited with code ${code} before finishing`);
        });
      });
    });
  } finally {
    clearTimeout(timer);
    clearInterval(stallTimer);
    await Promise.all(workers.map((w) => w.terminate()));
    workers.forEach((w) => live.delete(w));
  }
  return results;
}

/** No progress at all for this long means a thread is blocked for good. */
const STALL_MS = 5_000;

const sleepMs = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('Mutex under contention (4 worker threads)', () => {
  const WORKERS = 4;

  function mutexRun(iters: number, useLock: boolean): Promise<{ counter: number; maxInside: number; contended: number }> {
    const heap = makeHeap(FIRST_FREE + 4);
    const [lockCell, counterCell, insideCell, maxInsideCell] = [FIRST_FREE, FIRST_FREE + 1, FIRST_FREE + 2, FIRST_FREE + 3];
    const params = { lockCell, counterCell, insideCell, maxInsideCell, iters, useLock };
    const jobs = Array.from({ length: WORKERS }, () => ({ role: 'mutex', params, strictWait: true }));
    return runWorkers(heap, jobs, {
      timeoutMs: 55_000,
      stallMs: STALL_MS,
      progress: () => `counter=${heap.i32[counterCell]} lock=${heap.i32[lockCell]} inside=${heap.i32[insideCell]}`,
    }).then((rs) => ({
      counter: heap.i32[counterCell],
      maxInside: heap.i32[maxInsideCell],
      contended: rs.reduce((n: number, r: Result) => n + r.contended, 0),
    }));
  }

  it('makes a non-atomic read-modify-write exact: no lost update, never two holders', async () => {
    const ITERS = 20_000;
    const { counter, maxInside, contended } = await mutexRun(ITERS, true);
    if (process.env.SHM_TEST_DEBUG) console.log({ counter, maxInside, contended });
    // The lock really was fought over (found held on entry), not taken in turns.
    expect(contended).toBeGreaterThan(0);
    expect(maxInside).toBe(1);
    expect(counter).toBe(WORKERS * ITERS);
  }, 60_000);

  it('control: without the lock the same workload loses updates and overlaps', async () => {
    // Shows that the workload above can fail: its read/write window is real.
    const { counter, maxInside } = await mutexRun(5_000, false);
    expect(maxInside).toBeGreaterThan(1);
    expect(counter).toBeLessThan(WORKERS * 5_000);
  }, 60_000);
});

describe('Event', () => {
  it('loses no wake-up over 100k set/reset/wait handshake rounds between two threads', async () => {
    const ROUNDS = 100_000;
    const heap = makeHeap(FIRST_FREE + 6);
    const c = { pingCell: FIRST_FREE, pongCell: FIRST_FREE + 1, dataCell: FIRST_FREE + 2, echoCell: FIRST_FREE + 3 };
    heap.i32[c.pingCell] = eventInit(false);
    heap.i32[c.pongCell] = eventInit(false);
    const [pingProgress, pongProgress] = [FIRST_FREE + 4, FIRST_FREE + 5];
    const [ping, pong] = await runWorkers(heap, [
      { role: 'event-ping', params: { ...c, rounds: ROUNDS, progressCell: pingProgress }, strictWait: true },
      { role: 'event-pong', params: { ...c, rounds: ROUNDS, progressCell: pongProgress }, strictWait: true },
    ], {
      timeoutMs: 55_000,
      stallMs: STALL_MS,
      progress: () => `ping side at round ${heap.i32[pingProgress]}, pong side at round ${heap.i32[pongProgress]}; ` +
        `ping cell=${heap.i32[c.pingCell]} pong cell=${heap.i32[c.pongCell]} (0 set, 1 free, -1 busy)`,
    });
    if (process.env.SHM_TEST_DEBUG) console.log({ ping, pong });
    expect(heap.i32[pingProgress]).toBe(ROUNDS);
    expect(heap.i32[pongProgress]).toBe(ROUNDS);
    // Each side saw the other's data store after waking (set orders earlier stores).
    expect(ping.mismatches).toBe(0);
    expect(pong.mismatches).toBe(0);
    // The handshake really went through waits on an unset event, not only fast paths.
    expect(ping.waitedUnset + pong.waitedUnset).toBeGreaterThan(0);
  }, 60_000);

  it('timedwait returns false on timeout and true at once when set (same thread)', () => {
    const heap = makeHeap(FIRST_FREE + 1);
    heap.i32[FIRST_FREE] = eventInit(false);
    const ev = new Event(heap.platform, FIRST_FREE);
    const p = heap.platform;

    let t0 = p.now();
    expect(ev.timedwait(100)).toBe(false);
    const waited = p.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(99);
    expect(waited).toBeLessThan(2_000);
    expect(ev.isSet()).toBe(false);

    ev.set();
    t0 = p.now();
    expect(ev.timedwait(5_000)).toBe(true);
    expect(p.now() - t0).toBeLessThan(1_000);
    // Stays set until reset; reset makes it time out again.
    expect(ev.timedwait(10)).toBe(true);
    ev.reset();
    expect(ev.isSet()).toBe(false);
    expect(ev.timedwait(20)).toBe(false);
  });

  it('timedwait returns true when another thread sets the event while it sleeps', async () => {
    const heap = makeHeap(FIRST_FREE + 1);
    const evCell = FIRST_FREE;
    heap.i32[evCell] = eventInit(false);
    const ev = new Event(heap.platform, evCell);
    let sawSleeper = false;
    const [r] = await runWorkers(heap, [{ role: 'event-timedwait', params: { evCell, ms: 10_000 }, strictWait: true }], {
      timeoutMs: 15_000,
      progress: () => `event cell=${heap.i32[evCell]}`,
      onStarted: async () => {
        // Wait until the worker has announced that it sleeps (BUSY), then set.
        const until = Date.now() + 5_000;
        while (Atomics.load(heap.i32, evCell) !== -1 && Date.now() < until) await sleepMs(5);
        sawSleeper = Atomics.load(heap.i32, evCell) === -1;
        await sleepMs(50);
        ev.set();
      },
    });
    expect(sawSleeper).toBe(true);
    expect(r.result).toBe(true);
    // Woken by set(), long before its own 10 s timeout (a missing wake-up
    // would let it sleep the full 10 s and then see the event set).
    expect(r.elapsed).toBeLessThan(5_000);
  }, 20_000);
});

describe('Semaphore', () => {
  it('producers post N units, consumers take exactly N, none left', async () => {
    const N = 40_000;
    const PRODUCERS = 2;
    const heap = makeHeap(FIRST_FREE + 4);
    const [semCell, claimCell, takenCell, postedCell] = [FIRST_FREE, FIRST_FREE + 1, FIRST_FREE + 2, FIRST_FREE + 3];
    const jobs: Job[] = [
      ...Array.from({ length: PRODUCERS }, () => ({
        role: 'sem-producer', params: { semCell, units: N / PRODUCERS, postedCell }, strictWait: true,
      })),
      { role: 'sem-consumer', params: { semCell, claimCell, takenCell, total: N, timed: false }, strictWait: true },
      { role: 'sem-consumer', params: { semCell, claimCell, takenCell, total: N, timed: false }, strictWait: true },
      { role: 'sem-consumer', params: { semCell, claimCell, takenCell, total: N, timed: true }, strictWait: true },
    ];
    const results = await runWorkers(heap, jobs, {
      timeoutMs: 55_000,
      stallMs: STALL_MS,
      progress: () => `posted=${heap.i32[postedCell]} taken=${heap.i32[takenCell]} count=${heap.i32[semCell]}`,
    });
    const consumers = results.slice(PRODUCERS);
    if (process.env.SHM_TEST_DEBUG) console.log({ consumers });
    const taken = consumers.reduce((s: number, r: Result) => s + r.taken, 0);
    expect(heap.i32[postedCell]).toBe(N);
    expect(taken).toBe(N);
    expect(heap.i32[takenCell]).toBe(N);
    const sem = new Semaphore(heap.platform, semCell);
    expect(sem.value()).toBe(0);
    expect(sem.timedwait(20)).toBe(false);
  }, 60_000);

  it('timedwait times out when empty and takes a unit when one is there', () => {
    const heap = makeHeap(FIRST_FREE + 1);
    const p = heap.platform;
    const sem = new Semaphore(p, FIRST_FREE);

    const t0 = p.now();
    expect(sem.timedwait(80)).toBe(false);
    expect(p.now() - t0).toBeGreaterThanOrEqual(79);
    expect(sem.value()).toBe(0);

    sem.post();
    sem.post();
    expect(sem.value()).toBe(2);
    expect(sem.timedwait(1_000)).toBe(true);
    expect(sem.timedwait(1_000)).toBe(true);
    expect(sem.value()).toBe(0);
    expect(sem.timedwait(10)).toBe(false);
  });
});

describe('MpscQueue (4 producer threads, 1 consumer thread)', () => {
  it('delivers every node exactly once, in each producer\'s order, with producers preempted in the enqueue window', async () => {
    const PRODUCERS = 4;
    const COUNT = 25_000;
    const NODE_WORDS = 4; // rcu_head (next, func), producer id, sequence
    const qBase = FIRST_FREE;
    const [doneCell, windowCell, receivedCell] = [qBase + MPSC_QUEUE_WORDS, qBase + MPSC_QUEUE_WORDS + 1, qBase + MPSC_QUEUE_WORDS + 2];
    const poolBase = qBase + MPSC_QUEUE_WORDS + 4;
    const heap = makeHeap(poolBase + PRODUCERS * COUNT * NODE_WORDS);
    heap.i32.set(mpscQueueInit(qBase), qBase);
    expect(poolBase).toBeGreaterThan(0);

    const injection: PointInjection = { match: ['enqueue:*'], probability: 0.003, minMs: 0.05, maxMs: 0.5 };
    const common = { qBase, poolBase, nodeWords: NODE_WORDS, count: COUNT, doneCell, windowCell };
    const jobs: Job[] = [
      { role: 'mpsc-consumer', params: { ...common, producers: PRODUCERS, receivedCell } },
      ...Array.from({ length: PRODUCERS }, (_, pid) => ({
        role: 'mpsc-producer', params: { ...common, pid }, seed: 1234 + pid, injection,
      })),
    ];
    const [consumer, ...producers] = await runWorkers(heap, jobs, {
      timeoutMs: 55_000,
      stallMs: STALL_MS,
      progress: () => `received=${heap.i32[receivedCell]} producersDone=${heap.i32[doneCell]}`,
    });

    if (process.env.SHM_TEST_DEBUG) console.log({ consumer, producers });
    expect(consumer.errors).toEqual([]);
    expect(consumer.received).toBe(PRODUCERS * COUNT);
    expect(consumer.duplicates).toBe(0);
    expect(consumer.outOfOrder).toBe(0);
    expect(consumer.lost).toBe(0);
    expect(consumer.extra).toBe(0);
    // Every enqueue passed the preemption point, and some were parked there.
    for (const pr of producers) expect(pr.hits).toBe(COUNT);
    const injected = producers.reduce((s: number, pr: Result) => s + pr.injected, 0);
    expect(injected).toBeGreaterThan(0);
    // The consumer really ran into a linked-but-unreachable node at least once.
    expect(consumer.emptyWhileWindow).toBeGreaterThan(0);
  }, 60_000);
});

describe('IntrusiveList (QLIST semantics, single thread)', () => {
  // Entries are 2 cells: next, prev (address of the cell that points to the entry).
  const HEAD_A = FIRST_FREE;
  const HEAD_B = FIRST_FREE + 1;
  const E = [FIRST_FREE + 4, FIRST_FREE + 6, FIRST_FREE + 8, FIRST_FREE + 10, FIRST_FREE + 12];

  function setup(): { l: IntrusiveList; i32: Int32Array } {
    const heap = makeHeap(FIRST_FREE + 16);
    return { l: new IntrusiveList(heap.platform), i32: heap.i32 };
  }

  /** Walks the list, checking every prev link on the way, and returns the entries. */
  function entries(l: IntrusiveList, i32: Int32Array, head: number): number[] {
    const out: number[] = [];
    let prevCell = head;
    for (let e = l.first(head); e !== 0; e = l.next(e)) {
      expect(i32[e + 1], `prev of ${e}`).toBe(prevCell);
      out.push(e);
      prevCell = e; // an entry's next cell is at the entry's own address
      if (out.length > 100) throw new Error('cycle');
    }
    return out;
  }

  it('insertHead builds the list in reverse insertion order with correct prev links', () => {
    const { l, i32 } = setup();
    expect(l.isEmpty(HEAD_A)).toBe(true);
    l.insertHead(HEAD_A, E[0]);
    expect(entries(l, i32, HEAD_A)).toEqual([E[0]]);
    expect(i32[E[0]]).toBe(0);
    l.insertHead(HEAD_A, E[1]);
    l.insertHead(HEAD_A, E[2]);
    expect(l.isEmpty(HEAD_A)).toBe(false);
    expect(entries(l, i32, HEAD_A)).toEqual([E[2], E[1], E[0]]);
  });

  it('remove unlinks the middle, the last, the first and the only entry', () => {
    const { l, i32 } = setup();
    for (const e of E) l.insertHead(HEAD_A, e); // E4 E3 E2 E1 E0
    l.remove(E[2]);
    expect(entries(l, i32, HEAD_A)).toEqual([E[4], E[3], E[1], E[0]]);
    l.remove(E[0]);
    expect(entries(l, i32, HEAD_A)).toEqual([E[4], E[3], E[1]]);
    l.remove(E[4]);
    expect(entries(l, i32, HEAD_A)).toEqual([E[3], E[1]]);
    expect(i32[HEAD_A]).toBe(E[3]);
    l.remove(E[3]);
    l.remove(E[1]);
    expect(l.isEmpty(HEAD_A)).toBe(true);
    // A removed entry can be inserted again.
    l.insertHead(HEAD_A, E[2]);
    expect(entries(l, i32, HEAD_A)).toEqual([E[2]]);
  });

  it('swap exchanges two lists and repoints the first entries\' prev at the new heads', () => {
    const { l, i32 } = setup();
    l.insertHead(HEAD_A, E[0]);
    l.insertHead(HEAD_A, E[1]);
    l.insertHead(HEAD_B, E[2]);
    l.swap(HEAD_A, HEAD_B);
    expect(entries(l, i32, HEAD_A)).toEqual([E[2]]);
    expect(entries(l, i32, HEAD_B)).toEqual([E[1], E[0]]);
    // Removing the first entry after the swap must update the new head.
    l.remove(E[1]);
    expect(entries(l, i32, HEAD_B)).toEqual([E[0]]);
    l.remove(E[2]);
    expect(l.isEmpty(HEAD_A)).toBe(true);

    // With one side empty.
    l.swap(HEAD_A, HEAD_B);
    expect(entries(l, i32, HEAD_A)).toEqual([E[0]]);
    expect(l.isEmpty(HEAD_B)).toBe(true);
    l.insertHead(HEAD_A, E[3]);
    expect(entries(l, i32, HEAD_A)).toEqual([E[3], E[0]]);

    // Both empty.
    l.remove(E[3]);
    l.remove(E[0]);
    l.swap(HEAD_A, HEAD_B);
    expect(l.isEmpty(HEAD_A)).toBe(true);
    expect(l.isEmpty(HEAD_B)).toBe(true);
  });
});
