// A TCP fault proxy for chaos tests (there is no toxiproxy here): listens on a port, forwards to a target, and
// injects latency, bandwidth caps, refused/dropped connections, resets, half-open sockets and pauses on demand.
//
// Faults apply to new and existing connections at once unless stated otherwise. Directions: 'up' is client →
// target, 'down' is target → client.
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export type Direction = 'up' | 'down';

export interface FaultProxyOptions {
  target: { host: string; port: number };
  /** Listen port (default 0: any free port). */
  port?: number;
  host?: string;
}

export interface FaultProxyStats {
  /** Client connections accepted so far (including dropped ones). */
  accepted: number;
  /** Connections currently open (client side). */
  open: number;
  /** Connections closed by the proxy on purpose (drop, refuse, reset). */
  dropped: number;
  resets: number;
  bytesUp: number;
  bytesDown: number;
}

export interface FaultProxy {
  readonly host: string;
  readonly port: number;
  /** Delay every chunk by `ms` (+ uniform random 0..jitterMs), in both directions unless one is given. */
  setLatency(ms: number, jitterMs?: number, direction?: Direction): void;
  /** Cap throughput to `bytesPerSecond` per connection and direction; undefined removes the cap. */
  setBandwidth(bytesPerSecond: number | undefined, direction?: Direction): void;
  /** New connections are closed at once with this probability (0..1): a flaky network or full accept queue. */
  setDropRate(probability: number): void;
  /** New connections are reset at once (the target looks down). */
  setRefuse(refuse: boolean): void;
  /** Reset (TCP RST) every open connection now. */
  resetAll(): void;
  /** Reset a connection once this many bytes have gone up (or down) through it; undefined turns it off. */
  resetAfterBytes(bytes: number | undefined, direction?: Direction): void;
  /**
   * Half-open: the target side is silently abandoned and no bytes flow in either direction, but the client's
   * socket stays open (no FIN, no RST), like a peer behind a dead NAT entry. Applies to open and new connections
   * until turned off; connections made half-open stay so.
   */
  setHalfOpen(on: boolean): void;
  /** Discard bytes in a direction without closing anything (the peer never hears back). */
  setBlackhole(on: boolean, direction?: Direction): void;
  /** Stop moving bytes (they queue, TCP backpressure builds); resume() delivers what queued. */
  pause(): void;
  resume(): void;
  /** Clears every fault. */
  heal(): void;
  stats(): FaultProxyStats;
  close(): Promise<void>;
}

interface Chunk {
  data: Buffer;
  due: number;
}

interface Pipe {
  readonly direction: Direction;
  readonly src: Socket;
  readonly dst: Socket;
  queue: Chunk[];
  queuedBytes: number;
  bytes: number;
  nextFree: number;
  timer: NodeJS.Timeout | undefined;
  waitingDrain: boolean;
  ended: boolean;
}

interface Link {
  client: Socket;
  upstream: Socket;
  pipes: Record<Direction, Pipe>;
  halfOpen: boolean;
  closed: boolean;
}

interface DirectionFaults {
  latencyMs: number;
  jitterMs: number;
  bytesPerSecond: number | undefined;
  resetAfter: number | undefined;
  blackhole: boolean;
}

const HIGH_WATER = 1 << 20;

function cleanFaults(): DirectionFaults {
  return { latencyMs: 0, jitterMs: 0, bytesPerSecond: undefined, resetAfter: undefined, blackhole: false };
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const faults: Record<Direction, DirectionFaults> = { up: cleanFaults(), down: cleanFaults() };
  let dropRate = 0;
  let refuse = false;
  let halfOpen = false;
  let paused = false;
  const links = new Set<Link>();
  const counters = { accepted: 0, dropped: 0, resets: 0, bytesUp: 0, bytesDown: 0 };

  const directions = (direction?: Direction): Direction[] => (direction ? [direction] : ['up', 'down']);

  const reset = (link: Link): void => {
    if (link.closed) return;
    link.closed = true;
    counters.resets++;
    for (const pipe of Object.values(link.pipes)) if (pipe.timer) clearTimeout(pipe.timer);
    link.client.resetAndDestroy();
    link.upstream.resetAndDestroy();
    links.delete(link);
  };

  const makeHalfOpen = (link: Link): void => {
    if (link.halfOpen || link.closed) return;
    link.halfOpen = true;
    for (const pipe of Object.values(link.pipes)) {
      if (pipe.timer) clearTimeout(pipe.timer);
      pipe.queue = [];
      pipe.queuedBytes = 0;
    }
    // The target sees the connection go away; the client sees nothing at all. Keep reading the client so
    // its writes succeed (as they would into a dead path until the send buffer fills).
    link.upstream.removeAllListeners('data');
    link.upstream.destroy();
    link.client.removeAllListeners('end');
    link.client.resume();
  };

  const pump = (link: Link, pipe: Pipe): void => {
    if (link.closed || link.halfOpen || paused || pipe.waitingDrain || pipe.timer) return;
    const f = faults[pipe.direction];
    while (pipe.queue.length > 0) {
      const head = pipe.queue[0] as Chunk;
      const now = Date.now();
      const at = Math.max(head.due, f.bytesPerSecond !== undefined ? pipe.nextFree : 0);
      if (at > now) {
        pipe.timer = setTimeout(() => {
          pipe.timer = undefined;
          pump(link, pipe);
        }, at - now);
        return;
      }
      // Under a bandwidth cap, send at most a tenth of a second's worth at a time.
      let data = head.data;
      if (f.bytesPerSecond !== undefined) {
        const slice = Math.max(1, Math.floor(f.bytesPerSecond / 10));
        if (data.length > slice) {
          head.data = data.subarray(slice);
          data = data.subarray(0, slice);
        } else pipe.queue.shift();
        pipe.nextFree = Math.max(now, pipe.nextFree) + (data.length * 1000) / f.bytesPerSecond;
      } else pipe.queue.shift();
      pipe.queuedBytes -= data.length;
      pipe.bytes += data.length;
      if (pipe.direction === 'up') counters.bytesUp += data.length;
      else counters.bytesDown += data.length;
      const resetAfter = f.resetAfter;
      if (resetAfter !== undefined && pipe.bytes > resetAfter) {
        const allowed = data.length - (pipe.bytes - resetAfter);
        if (allowed > 0) pipe.dst.write(data.subarray(0, allowed));
        // Let the allowed bytes leave before the reset.
        setImmediate(() => reset(link));
        return;
      }
      const more = pipe.dst.write(data);
      if (pipe.queuedBytes < HIGH_WATER && pipe.src.isPaused()) pipe.src.resume();
      if (!more) {
        pipe.waitingDrain = true;
        pipe.dst.once('drain', () => {
          pipe.waitingDrain = false;
          pump(link, pipe);
        });
        return;
      }
    }
    if (pipe.ended && !pipe.dst.destroyed) pipe.dst.end();
  };

  const makePipe = (direction: Direction, src: Socket, dst: Socket): Pipe => ({
    direction,
    src,
    dst,
    queue: [],
    queuedBytes: 0,
    bytes: 0,
    nextFree: 0,
    timer: undefined,
    waitingDrain: false,
    ended: false,
  });

  const wire = (link: Link, pipe: Pipe): void => {
    pipe.src.on('data', (data: Buffer) => {
      if (link.closed || link.halfOpen) return;
      const f = faults[pipe.direction];
      if (f.blackhole) return;
      const delay = f.latencyMs + (f.jitterMs > 0 ? Math.random() * f.jitterMs : 0);
      pipe.queue.push({ data, due: Date.now() + delay });
      pipe.queuedBytes += data.length;
      if (pipe.queuedBytes >= HIGH_WATER) pipe.src.pause();
      pump(link, pipe);
    });
    pipe.src.on('end', () => {
      pipe.ended = true;
      pump(link, pipe);
    });
  };

  const server: Server = createServer({ allowHalfOpen: true }, (client) => {
    counters.accepted++;
    client.on('error', () => undefined);
    if (refuse) {
      counters.dropped++;
      client.resetAndDestroy();
      return;
    }
    if (dropRate > 0 && Math.random() < dropRate) {
      counters.dropped++;
      client.destroy();
      return;
    }
    const upstream = connect({ host: options.target.host, port: options.target.port, allowHalfOpen: true });
    upstream.on('error', () => undefined);
    const link: Link = {
      client,
      upstream,
      pipes: { up: makePipe('up', client, upstream), down: makePipe('down', upstream, client) },
      halfOpen: false,
      closed: false,
    };
    links.add(link);
    wire(link, link.pipes.up);
    wire(link, link.pipes.down);
    // A reset on one side is passed on as a reset; an orderly close follows the data through the pipes.
    const onError = (error: NodeJS.ErrnoException): void => {
      if (link.halfOpen && error !== undefined) return;
      if (!link.closed) {
        link.closed = true;
        for (const pipe of Object.values(link.pipes)) if (pipe.timer) clearTimeout(pipe.timer);
        client.resetAndDestroy();
        upstream.resetAndDestroy();
        links.delete(link);
      }
    };
    upstream.on('error', (e: NodeJS.ErrnoException) => {
      if (!link.halfOpen) onError(e);
    });
    client.on('error', onError);
    client.on('close', () => {
      links.delete(link);
      if (!link.halfOpen) upstream.destroy();
    });
    upstream.on('close', () => {
      if (link.halfOpen) return;
      // Close the client once everything from the target has been delivered.
      link.pipes.down.ended = true;
      pump(link, link.pipes.down);
    });
    if (halfOpen) makeHalfOpen(link);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;

  const pumpAll = (): void => {
    for (const link of links) for (const pipe of Object.values(link.pipes)) pump(link, pipe);
  };

  return {
    host: address.address,
    port: address.port,
    setLatency(ms, jitterMs = 0, direction) {
      for (const d of directions(direction)) Object.assign(faults[d], { latencyMs: ms, jitterMs });
    },
    setBandwidth(bytesPerSecond, direction) {
      if (bytesPerSecond !== undefined && !(bytesPerSecond > 0)) throw new Error('bandwidth must be > 0');
      for (const d of directions(direction)) faults[d].bytesPerSecond = bytesPerSecond;
    },
    setDropRate(probability) {
      if (!(probability >= 0 && probability <= 1)) throw new Error('drop rate must be within 0..1');
      dropRate = probability;
    },
    setRefuse(on) {
      refuse = on;
    },
    resetAll() {
      for (const link of [...links]) reset(link);
    },
    resetAfterBytes(bytes, direction) {
      for (const d of directions(direction)) faults[d].resetAfter = bytes;
      if (bytes !== undefined) {
        for (const link of [...links]) {
          for (const d of directions(direction)) if (link.pipes[d].bytes > bytes) reset(link);
        }
      }
    },
    setHalfOpen(on) {
      halfOpen = on;
      if (on) for (const link of [...links]) makeHalfOpen(link);
    },
    setBlackhole(on, direction) {
      for (const d of directions(direction)) faults[d].blackhole = on;
    },
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      pumpAll();
    },
    heal() {
      faults.up = cleanFaults();
      faults.down = cleanFaults();
      dropRate = 0;
      refuse = false;
      halfOpen = false;
      paused = false;
      pumpAll();
    },
    stats() {
      return { ...counters, open: links.size };
    },
    async close() {
      for (const link of [...links]) {
        link.closed = true;
        link.client.destroy();
        link.upstream.destroy();
      }
      links.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
