/**
 * Counts the statements the embedded database (PGlite) runs and the time spent inside it, by SQL
 * text, by watching the wire messages PGlite hands to PostgreSQL. For the benchmarks only: it
 * patches PGlite's prototype, so it must be installed before the database is opened.
 */
import { PGlite } from '@electric-sql/pglite';

interface Entry {
  statements: number;
  ms: number;
}

const PARSE = 'P'.charCodeAt(0);
const BIND = 'B'.charCodeAt(0);
const SIMPLE_QUERY = 'Q'.charCodeAt(0);

export function installSqlStats() {
  const byText = new Map<string, Entry>();
  const textByStatement = new Map<string, string>();
  const decoder = new TextDecoder();
  let active = false;
  const cString = (bytes: Uint8Array, start: number) => {
    const end = bytes.indexOf(0, start);
    return { text: decoder.decode(bytes.subarray(start, end)), next: end + 1 };
  };
  const prototype = PGlite.prototype as unknown as {
    execProtocolRawSync(message: Uint8Array): Uint8Array;
  };
  const original = prototype.execProtocolRawSync;
  prototype.execProtocolRawSync = function (this: unknown, message: Uint8Array) {
    // A message buffer may hold several messages; the first names the statement it runs.
    let text: string | null = null;
    let counts = false;
    const kind = message[0];
    if (kind === PARSE) {
      const name = cString(message, 5);
      const query = cString(message, name.next);
      text = query.text.replace(/\s+/g, ' ').trim();
      if (name.text) textByStatement.set(name.text, text);
      counts = !name.text; // a named statement counts when it is bound
    } else if (kind === BIND) {
      const portal = cString(message, 5);
      const statement = cString(message, portal.next);
      text = textByStatement.get(statement.text) ?? null;
      counts = statement.text !== '';
    } else if (kind === SIMPLE_QUERY) {
      text = cString(message, 5).text.replace(/\s+/g, ' ').trim();
      counts = true;
    }
    const started = performance.now();
    try {
      return original.call(this, message);
    } finally {
      if (active) {
        const key = (text ?? lastText).slice(0, 140);
        if (text) lastText = text;
        const entry = byText.get(key) ?? { statements: 0, ms: 0 };
        if (counts) entry.statements += 1;
        entry.ms += performance.now() - started;
        byText.set(key, entry);
      }
    }
  };
  let lastText = '?';
  return {
    start() {
      byText.clear();
      active = true;
    },
    /** Per job: statements and milliseconds inside the database; the top statements to stderr. */
    stop(jobs: number) {
      active = false;
      const rows = [...byText.entries()].sort((a, b) => b[1].ms - a[1].ms);
      const statements = rows.reduce((sum, [, entry]) => sum + entry.statements, 0);
      const ms = rows.reduce((sum, [, entry]) => sum + entry.ms, 0);
      for (const [text, entry] of rows.slice(0, 25)) {
        process.stderr.write(
          `${(entry.statements / jobs).toFixed(2).padStart(6)} /job ${(entry.ms / jobs).toFixed(2).padStart(6)} ms/job  ${text}\n`,
        );
      }
      return {
        statements_per_job: Number((statements / jobs).toFixed(2)),
        in_database_ms_per_job: Number((ms / jobs).toFixed(2)),
      };
    },
  };
}
