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
    const item = await next(iterator, line);
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

async function next<T>(iterator: AsyncIterator<T>, recordLine?: number): Promise<T | null> {
  try {
    const result = await iterator.next();
    return result.done ? null : result.value;
  } catch (error) {
    if (error instanceof CsvError) throw malformed(error, recordLine);
    throw error;
  }
}

/**
 * A syntax error in the user's terms: which line, what is wrong with its quotes and how to fix it.
 * The parser's own text is not shown: it names bytes, not characters ("got "è"" for 连).
 */
function malformed(error: CsvError, recordLine: number | undefined): AppError {
  const parserLine = (error as CsvError & { lines?: number }).lines ?? recordLine ?? 1;
  const fix = 'Inside a cell, write a quote as two quotes ("") and put quotes around the whole cell';
  let line = parserLine;
  let problem: string;
  switch (error.code) {
    case 'CSV_INVALID_CLOSING_QUOTE':
      problem = 'a quoted cell goes on after its closing quote (as in "silk" dress)';
      break;
    case 'INVALID_OPENING_QUOTE':
      problem = 'a quote stands in the middle of a cell that does not start with one (as in 5" screen)';
      break;
    case 'CSV_QUOTE_NOT_CLOSED': {
      // The parser stops at the end of the file; the unclosed quote is in the record after the
      // last complete one (its line, unless an earlier quoted cell spans lines).
      const complete = (error as CsvError & { records?: number }).records;
      line = complete !== undefined ? complete + 1 : (recordLine ?? parserLine);
      problem = `a quote opens a cell that is never closed, so everything from there to the end of the file (line ${parserLine}) would be one cell`;
      break;
    }
    default:
      problem = 'it is not valid CSV';
  }
  const message = `Line ${line} of the CSV file has a stray quote: ${problem}. ${fix}. Nothing was imported: after a stray quote the following lines cannot be read reliably.`;
  return new AppError(
    'invalid_request',
    error.code === 'CSV_INVALID_CLOSING_QUOTE' ||
      error.code === 'INVALID_OPENING_QUOTE' ||
      error.code === 'CSV_QUOTE_NOT_CLOSED'
      ? message
      : `Line ${line} of the CSV file is not valid CSV. ${fix}.`,
    { details: { issues: [{ field: `line ${line}`, message: problem }], line } },
  );
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
