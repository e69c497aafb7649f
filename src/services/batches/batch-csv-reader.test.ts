import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isAppError } from '../../domain/errors.ts';
import { openCsv } from './batch-csv-reader.ts';

async function* bytes(text: string): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode(text);
}

/** Reads every record; the error a stray quote raises, or null. */
async function readAll(text: string): Promise<{ lines: number[]; error: unknown }> {
  const lines: number[] = [];
  try {
    const file = await openCsv(bytes(text));
    for await (const record of file.records) lines.push(record.line);
    return { lines, error: null };
  } catch (error) {
    return { lines, error };
  }
}

describe('CSV stray quotes', () => {
  const cases: Array<[string, string, number, RegExp]> = [
    [
      'text after a closing quote',
      'sku,title\nA1,"好"\nA2,"真丝"连衣裙\nA3,ok\n',
      3,
      /goes on after its closing quote/,
    ],
    ['a quote in the middle of a cell', 'sku,title\nA1,x\nA2,真"丝\nA3,ok\n', 3, /in the middle of a cell/],
    [
      'a quote never closed',
      'sku,title\nA1,x\nA2,"真丝连衣裙\nA3,ok\nA4,ok\n',
      3,
      /never closed, so everything from there to the end of the file \(line 5\)/,
    ],
  ];
  for (const [name, text, line, problem] of cases) {
    test(`${name}: a 400 naming line ${line} in the user's terms`, async () => {
      const { error } = await readAll(text);
      assert.ok(isAppError(error), String(error));
      assert.equal(error.code, 'invalid_request');
      assert.match(error.message, new RegExp(`^Line ${line} of the CSV file has a stray quote: `));
      assert.match(error.message, problem);
      assert.match(error.message, /two quotes \(""\)/);
      // Not the parser's words, nor the byte it saw instead of the character (è for 连).
      assert.doesNotMatch(error.message, /Invalid Closing Quote|got "|è/);
      assert.deepEqual((error.details as { line: number }).line, line);
    });
  }

  test('doubled quotes inside a quoted cell, and a quoted cell over two lines, are fine', async () => {
    const { lines, error } = await readAll('sku,title\nA1,"5"" screen"\nA2,"two\nlines"\nA3,ok\n');
    assert.equal(error, null);
    assert.deepEqual(lines, [2, 3, 5]);
  });
});
