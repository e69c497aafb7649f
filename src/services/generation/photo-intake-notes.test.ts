import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { sampleProductPhoto } from '../../../test/support/sample-product.ts';
import { REPO_ROOT } from '../../../test/support/server.ts';
import { inspectProductPhoto } from '../../imaging/photo-intake.ts';
import { photoIntakeNotes } from './photo-intake-notes.ts';

const topics = (notes: ReturnType<typeof photoIntakeNotes>) =>
  notes.map((note) => (note.type === 'note' ? note.topic : note.type));

describe('product photo intake before an image model', () => {
  test('a good photo, large enough: no warning', async () => {
    const intake = await inspectProductPhoto(sampleProductPhoto(1200, 1600));
    assert.equal(intake.alreadyTransparent, false);
    assert.equal(intake.otherObjects, 0);
    assert.deepEqual(photoIntakeNotes(intake, { width: 1024, height: 1024 }, 'openai'), []);
  });

  test('a small photo for a large image: photo_too_small with the size to send', async () => {
    const intake = await inspectProductPhoto(sampleProductPhoto(300, 400));
    const notes = photoIntakeNotes(intake, { width: 1024, height: 1024 }, 'stability');
    assert.deepEqual(topics(notes), ['photo_too_small']);
    const [note] = notes;
    assert.ok(note?.type === 'note' && note.attention);
    assert.match(note.message, /300×400.*1024×1024.*stability.*3\.4×.*at least 1366 px/);
  });

  test('a product running off the frame: photo_cropped', async () => {
    const photo = readFileSync(path.join(REPO_ROOT, 'test/photos/set/bag_touching_edge.jpg'));
    const intake = await inspectProductPhoto(photo);
    assert.ok(intake.touchesFrame > 0.04, String(intake.touchesFrame));
    assert.ok(
      topics(photoIntakeNotes(intake, { width: 512, height: 512 }, 'a1111')).includes('photo_cropped'),
    );
  });

  test('two separate objects: photo_several_objects', async () => {
    const one = sampleProductPhoto(400, 800);
    const pair = await sharp({
      create: { width: 800, height: 800, channels: 3, background: '#ececec' },
    })
      .composite([
        { input: Buffer.from(one), left: 0, top: 0 },
        { input: Buffer.from(one), left: 400, top: 0 },
      ])
      .png()
      .toBuffer();
    const intake = await inspectProductPhoto(pair);
    assert.equal(intake.otherObjects, 1);
    assert.deepEqual(topics(photoIntakeNotes(intake, { width: 800, height: 800 }, 'comfyui')), [
      'photo_several_objects',
    ]);
  });

  test('a photo with its own transparency: photo_transparent, for information', async () => {
    const cut = await sharp({
      create: { width: 1200, height: 1200, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .composite([{ input: Buffer.from(sampleProductPhoto(600, 800)), left: 300, top: 200 }])
      .png()
      .toBuffer();
    const intake = await inspectProductPhoto(cut);
    assert.equal(intake.alreadyTransparent, true);
    const notes = photoIntakeNotes(intake, { width: 1024, height: 1024 }, 'openai');
    assert.deepEqual(topics(notes), ['photo_transparent']);
    assert.ok(notes[0]?.type === 'note' && !notes[0].attention);
  });

  test('EXIF orientation: the photo is measured upright', async () => {
    const rotated = await sharp(Buffer.from(sampleProductPhoto(300, 400)))
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const intake = await inspectProductPhoto(rotated);
    assert.deepEqual([intake.width, intake.height], [400, 300]);
  });
});
