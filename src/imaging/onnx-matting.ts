import sharp from 'sharp';
import { OnnxModel } from '../vision/onnx-model.ts';
import type { BackgroundRemover, CutoutResult } from './cutout.ts';
import type { CutoutConfidence } from './cutout-confidence.ts';
import { connectedPieces, fillEnclosedHoles, keepPieces, morph } from './mask-ops.ts';

/**
 * Background removal by a matting network the operator supplies (`VITRINE_MATTING_MODEL`: an ONNX
 * file such as BiRefNet, U2-Net or IS-Net; Vitrine never downloads one). The model's alpha is kept
 * soft, but only the main piece is kept and enclosed holes are filled, as for the classical
 * cut-out: a network can leave specks too. Its confidence comes from how decided the alpha is.
 *
 * Input: `[1, 3, H, W]` float, RGB normalised with the ImageNet mean and deviation (what BiRefNet
 * and U2-Net were trained with); a model with free dimensions gets 1024×1024. Output: the first
 * output, `[1, 1, h, w]`; values outside 0..1 are taken as logits (a sigmoid is applied).
 */

const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];
const DEFAULT_SIDE = 1024;
const MAX_OUTPUT_SIDE = 1600;

export class OnnxMattingRemover implements BackgroundRemover {
  readonly id = 'onnx-matting';
  readonly #model: OnnxModel;
  readonly #input: string;
  readonly #size: { width: number; height: number };

  private constructor(model: OnnxModel) {
    this.#model = model;
    this.#input = model.inputNames[0]!;
    const shape = model.inputShape(this.#input);
    const side = (value: number | string | undefined) =>
      typeof value === 'number' && value > 0 ? value : DEFAULT_SIDE;
    this.#size = { height: side(shape[2]), width: side(shape[3]) };
  }

  static async load(path: string): Promise<OnnxMattingRemover> {
    return new OnnxMattingRemover(await OnnxModel.load(path, 'VITRINE_MATTING_MODEL'));
  }

  async removeBackground(bytes: Uint8Array): Promise<CutoutResult> {
    const { data, info } = await sharp(bytes)
      .rotate()
      .resize(MAX_OUTPUT_SIDE, MAX_OUTPUT_SIDE, { fit: 'inside', withoutEnlargement: true })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const { width, height } = info;
    const { width: mw, height: mh } = this.#size;
    const rgb = await sharp(data, { raw: { width, height, channels: 4 } })
      .removeAlpha()
      .resize(mw, mh, { fit: 'fill' })
      .raw()
      .toBuffer();
    const tensor = new Float32Array(3 * mw * mh);
    for (let index = 0; index < mw * mh; index += 1) {
      for (let c = 0; c < 3; c += 1) {
        tensor[c * mw * mh + index] = (rgb[index * 3 + c]! / 255 - MEAN[c]!) / STD[c]!;
      }
    }
    const outputs = await this.#model.run({ [this.#input]: { data: tensor, dims: [1, 3, mh, mw] } });
    const first = outputs[this.#model.outputNames[0]!]!;
    const [oh, ow] = [first.dims.at(-2) ?? mh, first.dims.at(-1) ?? mw];
    const logits = first.data.some((value) => value < 0 || value > 1);
    const soft = new Uint8Array(ow * oh);
    for (let index = 0; index < soft.length; index += 1) {
      const value = logits ? 1 / (1 + Math.exp(-first.data[index]!)) : first.data[index]!;
      soft[index] = Math.round(Math.min(1, Math.max(0, value)) * 255);
    }
    const judged = keepMainPiece(soft, ow, oh);
    const alpha = await sharp(judged.alpha, { raw: { width: ow, height: oh, channels: 1 } })
      .resize(width, height, { fit: 'fill', kernel: 'cubic' })
      .extractChannel(0)
      .raw()
      .toBuffer();
    const out = new Uint8Array(data);
    for (let index = 0; index < width * height; index += 1) out[index * 4 + 3] = alpha[index]!;
    const note = `${judged.confidence.level} confidence: ${judged.confidence.reasons.join('; ')}`;
    const cut = judged.confidence.level !== 'low';
    const png = cut
      ? await sharp(out, { raw: { width, height, channels: 4 } })
          .png()
          .toBuffer()
      : await sharp(data, { raw: { width, height, channels: 4 } })
          .removeAlpha()
          .png()
          .toBuffer();
    return {
      png: new Uint8Array(png),
      cut,
      width,
      height,
      needsReview: judged.confidence.level !== 'high',
      note,
      foreground: judged.foreground,
      method: 'onnx-matting',
      confidence: judged.confidence,
      intake: {
        width,
        height,
        touchesFrame: judged.touchesFrame,
        otherObjects: judged.otherObjects,
        alreadyTransparent: false,
      },
    };
  }

  close(): Promise<void> {
    return this.#model.close();
  }
}

/** The model's alpha reduced to its main piece (holes filled), with how decided it was. */
export function keepMainPiece(soft: Uint8Array, width: number, height: number) {
  const mask = new Uint8Array(soft.length);
  for (let index = 0; index < soft.length; index += 1) mask[index] = soft[index]! >= 128 ? 255 : 0;
  const pieces = connectedPieces(mask, width, height);
  const largestSize = Math.max(0, ...pieces.sizes.slice(1));
  const largest = pieces.sizes.indexOf(largestSize);
  const otherObjects = pieces.sizes.filter(
    (size, label) => label > 0 && label !== largest && size >= largestSize * 0.02,
  ).length;
  keepPieces(mask, pieces, (label) => label === largest);
  fillEnclosedHoles(mask, width, height);
  // The soft edge is kept only next to the kept piece: a faint speck elsewhere goes.
  const near = morph(mask, width, height, 2, 'dilate');
  const alpha = new Uint8Array(soft.length);
  let [kept, undecided, onFrame, outline] = [0, 0, 0, 0];
  for (let index = 0; index < soft.length; index += 1) {
    alpha[index] = mask[index] ? Math.max(soft[index]!, 128) : near[index] ? Math.min(soft[index]!, 127) : 0;
    if (mask[index]) kept += 1;
    if (near[index] && soft[index]! > 25 && soft[index]! < 230) undecided += 1;
    const x = index % width;
    const y = Math.floor(index / width);
    if (mask[index] && (x === 0 || y === 0 || x === width - 1 || y === height - 1)) onFrame += 1;
    if (
      mask[index] &&
      (x === 0 ||
        y === 0 ||
        x === width - 1 ||
        y === height - 1 ||
        !mask[index - 1] ||
        !mask[index + 1] ||
        !mask[index - width] ||
        !mask[index + width])
    )
      outline += 1;
  }
  const foreground = kept / soft.length;
  const touchesFrame = outline > 0 ? onFrame / outline : 0;
  const unsure = kept > 0 ? undecided / kept : 1;
  const low: string[] = [];
  const medium: string[] = [];
  if (foreground < 0.01) low.push('the model found almost no product');
  else if (foreground > 0.92) low.push('the model kept almost the whole photo');
  if (unsure > 0.35) low.push(`the model is undecided on ${Math.round(unsure * 100)}% of the product's area`);
  else if (unsure > 0.12)
    medium.push(`the model is undecided along much of the outline (${Math.round(unsure * 100)}%)`);
  if (otherObjects > 0)
    medium.push(
      `${otherObjects === 1 ? 'another object' : `${otherObjects} other objects`} left out; the largest kept`,
    );
  if (touchesFrame > 0.04)
    medium.push(
      `the product runs off the photo's edge (${Math.round(touchesFrame * 100)}% of its outline): it is cropped`,
    );
  const level = low.length > 0 ? 'low' : medium.length > 0 ? 'medium' : 'high';
  const reasons = [...low, ...medium];
  if (level === 'high') reasons.push('matting model: a decided outline, one piece');
  const confidence: CutoutConfidence = {
    level,
    score: Math.round((level === 'high' ? 1 - unsure : level === 'medium' ? 0.7 : 0.3) * 100) / 100,
    reasons,
  };
  return { alpha, foreground, touchesFrame, otherObjects, confidence };
}

const loaded = new Map<string, Promise<OnnxMattingRemover>>();

/** One remover per model file per process (a render process keeps it for every job). */
export function mattingRemover(path: string): Promise<OnnxMattingRemover> {
  let remover = loaded.get(path);
  if (!remover) {
    remover = OnnxMattingRemover.load(path);
    remover.catch(() => loaded.delete(path));
    loaded.set(path, remover);
  }
  return remover;
}
