import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { splitSegments } from './script-segments.ts';

const noNouns = () => [];
const starts = (text: string) =>
  splitSegments(text, noNouns).segments.map(
    (segment) => text.slice(segment.start, segment.start + 12).split('\n')[0],
  );

describe('segment markers', () => {
  test('a heading line with its time in brackets or after a dash, and a heading in capitals', () => {
    const text =
      'INTRO\nHello and welcome.\n\nTRAIL MIX (8:05)\nRoasted almonds, no added sugar.\n\n' +
      'Water bottle – 8:20\nKeeps water cold for 24 hours.';
    const { segments, method } = splitSegments(text, noNouns);
    assert.equal(method, 'headers');
    assert.deepEqual(
      segments.map((segment) => [segment.label, segment.time]),
      [
        ['INTRO', null],
        ['TRAIL MIX', '8:05'],
        ['Water bottle', '8:20'],
      ],
    );
    // A sentence that ends with a time, or shouts with punctuation, is no heading.
    const prose = 'Welcome to the show.\nWe go live every day at (8:00).\nSALE ENDS TONIGHT!\nSo grab it.';
    assert.equal(splitSegments(prose, noNouns).segments.length, 1);
  });

  test('Spanish ordinals at a paragraph start ("Vamos con el primero:", "Y el último:")', () => {
    const text =
      'Hola a todos.\n\nVamos con el primero: la sartén.\n\nAhora, la segunda: la olla.\n\nY el último, el cazo.';
    assert.deepEqual(starts(text), ['Hola a todos', 'Vamos con el', 'Ahora, la se', 'Y el último,']);
    // Mid-paragraph, "y el segundo, a mitad de precio" is an offer, not a new product.
    const offer = 'Vamos con el primero: la sartén. Compras una y el segundo, a mitad de precio.';
    assert.equal(splitSegments(`Hola.\n\n${offer}`, noNouns).segments.length, 2);
  });

  test('"And last," at a paragraph start; "Lastly," inside a paragraph is not a marker', () => {
    const text = 'Welcome.\n\nFirst up, the kettle.\n\nAnd last, the scale. Lastly, it is waterproof.';
    assert.deepEqual(starts(text), ['Welcome.', 'First up, th', 'And last, th']);
  });

  test('"Esto es todo" closes a Spanish show as "Eso es todo" does', () => {
    const text = 'Empezamos con la crema.\n\nEsto es todo por hoy, ¡hasta el jueves!';
    assert.equal(splitSegments(text, noNouns).segments.at(-1)!.kindHint, 'closing');
  });
});
