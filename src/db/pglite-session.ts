import { type PGlite, parse, protocol, type Results, TransactionAbortedError } from '@electric-sql/pglite';

type BackendMessage = Parameters<typeof parse.parseResults>[0][number];

interface Prepared {
  name: string;
  /** Parameter type oids, to serialize values as PGlite does. */
  paramTypes: number[];
  /** The statement's row description (absent for statements that return no rows). */
  rowDescription: BackendMessage | null;
}

/** Prepared statements kept per database; the least recently used is closed beyond this. */
const MAX_PREPARED = 200;
/** "cached plan must not change result type": a table changed under a prepared statement. */
const PLAN_CHANGED = '0A000';

const { serialize } = protocol;
const SYNC = serialize.sync();

/**
 * The embedded database's one session, with every statement prepared once and run as one message.
 *
 * PGlite's own `query()` sends each statement as six protocol messages, each a separate call into
 * the WebAssembly PostgreSQL (parse, describe, bind, describe, execute, sync), and parses and plans
 * it again every time. Profiling the spine showed PGlite taking about 60 % of the main thread, and
 * a prepared statement run as one bind + execute + sync costs a third to a fifth of the CPU of the
 * same statement through `query()`. Statements are named by text and kept (bounded, least recently
 * used closed) for the life of the session, as a pooled PostgreSQL driver would with named queries.
 *
 * Locking mirrors PGlite: a statement outside a transaction waits for any open transaction
 * (`_runExclusiveTransaction`) and then for the wire (`runExclusive`); statements inside a
 * transaction only for the wire.
 */
export class PgliteSession {
  readonly #pglite: PGlite;
  readonly #maxPrepared: number;
  readonly #prepared = new Map<string, Prepared>();
  /** Statements to close with the next message sent. */
  #toClose: string[] = [];
  #nextName = 1;

  constructor(pglite: PGlite, options: { maxPrepared?: number } = {}) {
    this.#pglite = pglite;
    this.#maxPrepared = options.maxPrepared ?? MAX_PREPARED;
  }

  /** How many statements are prepared now (tests). */
  get preparedCount(): number {
    return this.#prepared.size;
  }

  /** One statement outside any transaction. */
  async query<Row>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    await this.#pglite._checkReady();
    return this.#pglite._runExclusiveTransaction(() =>
      this.#pglite.runExclusive(() => this.#run<Row>(text, params, true)),
    );
  }

  /** Multi-statement SQL text (migrations, pg-boss's schema), outside any transaction. */
  async exec(text: string): Promise<Results[]> {
    await this.#pglite._checkReady();
    return this.#pglite._runExclusiveTransaction(() => this.#pglite.runExclusive(() => this.#simple(text)));
  }

  /** Runs `work` in one transaction: it commits when `work` resolves and rolls back when it throws. */
  async transaction<T>(work: (tx: TransactionSession) => Promise<T>): Promise<T> {
    await this.#pglite._checkReady();
    return this.#pglite._runExclusiveTransaction(async () => {
      const wire = <R>(fn: () => Promise<R>) => this.#pglite.runExclusive(fn);
      await wire(() => this.#simple('BEGIN'));
      let open = true;
      const ensureOpen = () => {
        if (!open) throw new Error('The transaction is closed');
      };
      const tx: TransactionSession = {
        query: <Row>(text: string, params: readonly unknown[] = []) => {
          ensureOpen();
          return wire(() => this.#run<Row>(text, params, false));
        },
        exec: (text: string) => {
          ensureOpen();
          return wire(() => this.#simple(text));
        },
      };
      try {
        const result = await work(tx);
        open = false;
        const [commit] = await wire(() => this.#simple('COMMIT'));
        // COMMIT of a transaction in which a statement failed (and was caught) rolls back instead.
        if ((commit as (Results & { command?: string }) | undefined)?.command === 'ROLLBACK')
          throw new TransactionAbortedError();
        return result;
      } catch (error) {
        if (open) {
          open = false;
          await wire(() => this.#simple('ROLLBACK'));
        }
        throw error;
      }
    });
  }

  async #run<Row>(text: string, params: readonly unknown[], mayRetry: boolean): Promise<Row[]> {
    const prepared = await this.#prepare(text);
    const values = params.map((value, index) => {
      if (value === null || value === undefined) return null;
      const serializer = this.#pglite.serializers[prepared.paramTypes[index] ?? 0];
      return serializer ? serializer(value) : String(value);
    });
    let messages: BackendMessage[];
    try {
      messages = await this.#pglite.execProtocolStream(
        concat(serialize.bind({ statement: prepared.name, values }), serialize.execute({}), SYNC),
        { syncToFs: false },
      );
    } catch (error) {
      if ((error as { code?: string }).code === PLAN_CHANGED) {
        // A migration changed a table this statement reads: prepare it again. Outside a transaction
        // nothing was done yet, so it runs again at once; inside one, the transaction is aborted.
        this.#forget(text);
        if (mayRetry) return this.#run<Row>(text, params, false);
      }
      throw withQuery(error, text, params);
    }
    const input = prepared.rowDescription ? [prepared.rowDescription, ...messages] : messages;
    return (parse.parseResults(input, this.#pglite.parsers)[0]?.rows ?? []) as Row[];
  }

  async #prepare(text: string): Promise<Prepared> {
    const known = this.#prepared.get(text);
    if (known) {
      // Most recently used last, so the first entry is the one to close.
      this.#prepared.delete(text);
      this.#prepared.set(text, known);
      return known;
    }
    if (this.#prepared.size >= this.#maxPrepared) this.#forget(this.#prepared.keys().next().value as string);
    const name = `vitrine_${this.#nextName++}`;
    const parts = [serialize.parse({ name, text }), serialize.describe({ type: 'S', name })];
    for (const closed of this.#toClose) parts.push(serialize.close({ type: 'S', name: closed }));
    this.#toClose = [];
    parts.push(SYNC);
    let messages: BackendMessage[];
    try {
      messages = await this.#pglite.execProtocolStream(concat(...parts), { syncToFs: false });
    } catch (error) {
      throw withQuery(error, text, []);
    }
    const parameters = messages.find((message) => message.name === 'parameterDescription') as
      | (BackendMessage & { dataTypeIDs: number[] })
      | undefined;
    const prepared: Prepared = {
      name,
      paramTypes: parameters?.dataTypeIDs ?? [],
      rowDescription: messages.find((message) => message.name === 'rowDescription') ?? null,
    };
    this.#prepared.set(text, prepared);
    return prepared;
  }

  #forget(text: string): void {
    const prepared = this.#prepared.get(text);
    if (!prepared) return;
    this.#prepared.delete(text);
    this.#toClose.push(prepared.name);
  }

  async #simple(text: string): Promise<Results[]> {
    try {
      const messages = await this.#pglite.execProtocolStream(serialize.query(text), { syncToFs: false });
      return parse.parseResults(messages, this.#pglite.parsers);
    } catch (error) {
      throw withQuery(error, text, []);
    }
  }
}

export interface TransactionSession {
  query<Row>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  exec(text: string): Promise<Results[]>;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.byteLength;
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.byteLength;
  }
  return joined;
}

/** Like PGlite's own errors: the statement that failed travels with the error, for the logs. */
function withQuery(error: unknown, text: string, params: readonly unknown[]): unknown {
  if (error && typeof error === 'object') Object.assign(error, { query: text, params });
  return error;
}
