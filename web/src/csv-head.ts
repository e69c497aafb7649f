/** The start of a CSV file read in the browser: its header and first rows, for mapping and preview. */
import Papa from 'papaparse';

export interface CsvHead {
  headers: string[];
  /** The first data rows with the spreadsheet line each starts on (the header is line 1). */
  rows: Array<{ line: number; values: Record<string, string> }>;
}

/** Enough of the file for a header and a few rows; the server reads the whole file on upload. */
const HEAD_BYTES = 256 * 1024;
export const PREVIEW_ROWS = 5;

/**
 * Parses the header and the first rows with Papa Parse, counting lines as the server does (a
 * quoted cell may span lines, so a row's line is where it starts). Empty lines are skipped.
 */
export async function readCsvHead(file: File): Promise<CsvHead> {
  const text = (await file.slice(0, HEAD_BYTES).text()).replace(/^\uFEFF/, '');
  const records: Array<{ fields: string[]; start: number }> = [];
  let start = 0;
  Papa.parse<string[]>(text, {
    skipEmptyLines: false,
    step: (result, parser) => {
      const end = result.meta.cursor;
      const fields = result.data;
      if (!(fields.length === 1 && fields[0]!.trim() === '')) records.push({ fields, start });
      start = end;
      if (records.length > PREVIEW_ROWS) parser.abort();
    },
  });
  const [header, ...data] = records;
  const headers = (header?.fields ?? []).map((name) => name.trim());
  return {
    headers,
    rows: data.slice(0, PREVIEW_ROWS).map((record) => ({
      line: 1 + countLineBreaks(text.slice(0, record.start)),
      values: Object.fromEntries(headers.map((name, index) => [name, record.fields[index] ?? ''])),
    })),
  };
}

function countLineBreaks(text: string): number {
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}

/** A name reduced for matching: `Product Name`, `product_name` and `productname` are the same. */
function simplified(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** The column of `headers` named like `target`, or ''. */
export function matchColumn(target: string, headers: readonly string[], also: readonly string[] = []) {
  for (const name of [target, ...also]) {
    const found = headers.find((header) => simplified(header) === simplified(name));
    if (found) return found;
  }
  return '';
}
