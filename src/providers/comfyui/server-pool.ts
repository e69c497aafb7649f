/**
 * Several ComfyUI servers (one per GPU) sharing the calls of one provider: each call goes to the
 * server with the fewest calls in flight, round-robin on ties; a server whose last call could not
 * connect is skipped for `cooldownMs`, unless every server is in that state.
 */

export interface ServerLease {
  url: string;
  /** Ends the call; `connectionFailed` puts the server in cool-down. */
  release(outcome: { connectionFailed: boolean }): void;
}

interface ServerState {
  url: string;
  inFlight: number;
  downSince: number | undefined;
}

export class ComfyServerPool {
  readonly #servers: ServerState[];
  readonly #cooldownMs: number;
  readonly #now: () => number;
  #nextTie = 0;

  constructor(urls: readonly string[], options: { cooldownMs?: number; now?: () => number } = {}) {
    if (urls.length === 0) throw new Error('ComfyServerPool needs at least one server URL');
    this.#servers = urls.map((url) => ({ url: url.replace(/\/+$/, ''), inFlight: 0, downSince: undefined }));
    this.#cooldownMs = options.cooldownMs ?? 30_000;
    this.#now = options.now ?? Date.now;
  }

  get urls(): string[] {
    return this.#servers.map((server) => server.url);
  }

  acquire(): ServerLease {
    const now = this.#now();
    const up = this.#servers.filter(
      (server) => server.downSince === undefined || now - server.downSince >= this.#cooldownMs,
    );
    // All down: try the one that failed longest ago rather than refuse the call outright.
    const candidates =
      up.length > 0
        ? up
        : [...this.#servers].sort((a, b) => (a.downSince ?? 0) - (b.downSince ?? 0)).slice(0, 1);
    const fewest = Math.min(...candidates.map((server) => server.inFlight));
    const tied = candidates.filter((server) => server.inFlight === fewest);
    const chosen = tied[this.#nextTie % tied.length] as ServerState;
    this.#nextTie += 1;
    chosen.inFlight += 1;
    let released = false;
    return {
      url: chosen.url,
      release: ({ connectionFailed }) => {
        if (released) return;
        released = true;
        chosen.inFlight -= 1;
        chosen.downSince = connectionFailed ? this.#now() : undefined;
      },
    };
  }
}
