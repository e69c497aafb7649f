import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { AppError } from '../../domain/errors.ts';

/** A record of the file: its fields by header name, and the spreadsheet line it starts on. */
export interface CsvRecord {
  line: number;
  /** Fields by header; `fieldCount` tells a short or long record apart from empty cells. */
  fields: Record<string, string>;
  fieldCount: number;
}

export interface CsvFile {
  headers: string[];
  records: AsyncGenerator<CsvRecord>;
}

/** The most text handed to the CSV parser at once (see decodeUtf8). */
const PARSE_SLICE_CHARS = 32 * 1024;

/** How much of the start of a file is checked for binary content. */
const SNIFF_BYTES = 4096;

/**
 * Reads a CSV upload as a stream: UTF-8 with or without a BOM, LF or CRLF, quoted fields holding
 * commas, quotes and newlines. Line numbers are spreadsheet lines (the header is line 1; a record
 * whose quoted cell spans lines starts where its first line is). Empty lines are skipped. A file
 * that is not UTF-8 text is refused (415); a syntax error (a stray quote) stops the import with its
 * line (400), since after one the parser cannot know where the next record begins.
 */
export async function openCsv(source: AsyncIterable<Uint8Array>): Promise<CsvFile> {
  const parser = parse({ info: true, relax_column_count: true, bom: true, max_record_size: 0 });
  const piping = pipeline(Readable.from(decodeUtf8(source)), parser);
  piping.catch(() => {
    // The same error surfaces from the parser's iterator below.
  });
  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[] }>;
  const first = await next(iterator);
  if (!first) throw new AppError('invalid_request', 'The CSV file is empty: it needs a header line');
  const headers = first.record.map((name) => name.trim());
  if (headers.every((name) => name === '')) {
    throw new AppError('invalid_request', 'Line 1 of the CSV file must be a header line naming the columns');
  }
  const duplicated = headers.filter((name, index) => name && headers.indexOf(name) !== index);
  if (duplicated.length > 0) {
    throw new AppError(
      'invalid_request',
      `The header names a column twice: ${[...new Set(duplicated)].join(', ')}`,
    );
  }
  return { headers, records: readRecords(iterator, headers, 2 + lineBreaksIn(first.record)) };
}

async function* readRecords(
  iterator: AsyncIterator<{ record: string[] }>,
  headers: readonly string[],
  firstLine: number,
): AsyncGenerator<CsvRecord> {
  let line = firstLine;
  for (;;) {
    const item = await next(iterator);
    if (!item) return;
    const values = item.record;
    const startLine = line;
    // Counted here, not taken from the parser: it counts a CRLF inside a quoted cell as two lines.
    line += 1 + lineBreaksIn(values);
    if (values.length === 1 && values[0]!.trim() === '') continue;
    const fields: Record<string, string> = {};
    for (const [index, name] of headers.entries()) if (name) fields[name] = values[index] ?? '';
    yield { line: startLine, fields, fieldCount: values.length };
  }
}

const LINE_BREAK = /\r\n|\r|\n/g;
function lineBreaksIn(values: readonly string[]): number {
  let count = 0;
  for (const value of values) count += value.match(LINE_BREAK)?.length ?? 0;
  return count;
}

async function next<T>(iterator: AsyncIterator<T>): Promise<T | null> {
  try {
    const result = await iterator.next();
    return result.done ? null : result.value;
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new AppError('invalid_request', `The CSV file is malformed at line ${line}: ${error.message}`, {
        details: { issues: [{ field: `line ${line}`, message: error.message }], line },
      });
    }
    throw error;
  }
}

async function* decodeUtf8(source: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let sniffed = 0;
  for await (const chunk of source) {
    if (sniffed < SNIFF_BYTES) {
      const head = chunk.subarray(0, SNIFF_BYTES - sniffed);
      if (head.includes(0)) throw notCsv('it holds binary data');
      sniffed += head.byteLength;
    }
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw notCsv('it is not UTF-8 text');
    }
    // The parser reads a whole chunk in one go; an upload held in memory can arrive as one 10 MB
    // chunk, which would block the event loop for seconds. Slices keep each step short.
    for (let at = 0; at < text.length; at += PARSE_SLICE_CHARS) yield text.slice(at, at + PARSE_SLICE_CHARS);
  }
  try {
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch {
    throw notCsv('it is not UTF-8 text');
  }
}

function notCsv(why: string): AppError {
  return new AppError(
    'unsupported_media_type',
    `The file is not a CSV file: ${why}. Upload UTF-8 CSV text with a header line.`,
  );
}
