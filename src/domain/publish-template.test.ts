import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MissingPlaceholderError,
  placeholdersOf,
  renderJsonTemplate,
  renderTemplate,
} from './publish-template.ts';

const row = {
  sku: 'MUG/1',
  name: 'Mug "Blue"',
  images: [{ url: 'https://v.example/a?sig=1', width: 1024 }],
};

test('a URL template escapes each value and reaches into arrays', () => {
  assert.equal(
    renderTemplate(
      'https://cms.example.com/api/products/{{sku}}?img={{ images.0.url }}',
      row,
      encodeURIComponent,
    ),
    'https://cms.example.com/api/products/MUG%2F1?img=https%3A%2F%2Fv.example%2Fa%3Fsig%3D1',
  );
  assert.deepEqual(placeholdersOf('{{sku}}/{{template}}-{{n}}.jpg'), ['sku', 'template', 'n']);
});

test('a JSON body keeps types for whole placeholders and never breaks on quotes', () => {
  const body = renderJsonTemplate(
    { image_url: '{{images.0.url}}', width: '{{images.0.width}}', label: 'Now: {{name}}', tags: ['{{sku}}'] },
    row,
  );
  assert.deepEqual(body, {
    image_url: 'https://v.example/a?sig=1',
    width: 1024,
    label: 'Now: Mug "Blue"',
    tags: ['MUG/1'],
  });
  assert.match(JSON.stringify(body), /Mug \\"Blue\\"/);
});

test('a placeholder with nothing to fill it names every such placeholder', () => {
  assert.throws(
    () => renderTemplate('/p/{{sku}}/{{color}}/{{images.3.url}}', row),
    (error: unknown) =>
      error instanceof MissingPlaceholderError && error.names.join(',') === 'color,images.3.url',
  );
  assert.throws(() => renderJsonTemplate({ a: '{{nope}}' }, row), MissingPlaceholderError);
});
