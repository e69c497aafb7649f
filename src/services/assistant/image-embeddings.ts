import { modelInputPixels } from '../../imaging/shopper-photo.ts';
import { OnnxModel } from '../../vision/onnx-model.ts';

/** CLIP's pixel normalization, which most image encoders exported to ONNX expect. */
const MEAN = [0.48145466, 0.4578275, 0.40821073];
const DEVIATION = [0.26862954, 0.26130258, 0.27577711];

/**
 * An operator-supplied image encoder (VITRINE_EMBEDDING_MODEL, e.g. a CLIP vision tower exported
 * to ONNX): one input `[1, 3, H, W]`, the first output the embedding. Vitrine never downloads it;
 * without it, the same-item check is ORB and colour alone. Its cosine similarity is one more
 * signal (domain/same-item.ts): it can lift an unsure ORB result, never overrule a clear one.
 */
export class ImageEmbeddings {
  readonly #model: OnnxModel;
  readonly #input: string;
  readonly #output: string;
  readonly #width: number;
  readonly #height: number;

  private constructor(model: OnnxModel) {
    this.#model = model;
    this.#input = model.inputNames[0]!;
    this.#output = model.outputNames[0]!;
    const shape = model.inputShape(this.#input);
    this.#height = typeof shape[2] === 'number' && shape[2] > 0 ? shape[2] : 224;
    this.#width = typeof shape[3] === 'number' && shape[3] > 0 ? shape[3] : 224;
  }

  static async load(path: string): Promise<ImageEmbeddings> {
    return new ImageEmbeddings(await OnnxModel.load(path, 'VITRINE_EMBEDDING_MODEL'));
  }

  get path(): string {
    return this.#model.path;
  }

  /** The L2-normalized embedding of an image. */
  async embed(bytes: Uint8Array): Promise<Float32Array> {
    const pixels = await modelInputPixels(bytes, this.#width, this.#height);
    const area = this.#width * this.#height;
    for (let channel = 0; channel < 3; channel += 1) {
      for (let index = channel * area; index < (channel + 1) * area; index += 1) {
        pixels[index] = (pixels[index]! - MEAN[channel]!) / DEVIATION[channel]!;
      }
    }
    const outputs = await this.#model.run({
      [this.#input]: { data: pixels, dims: [1, 3, this.#height, this.#width] },
    });
    const vector = outputs[this.#output]?.data ?? new Float32Array();
    const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0)) || 1;
    return vector.map((value) => value / norm);
  }

  close(): Promise<void> {
    return this.#model.close();
  }
}

/** Cosine similarity of two L2-normalized vectors. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let index = 0; index < Math.min(a.length, b.length); index += 1) sum += a[index]! * b[index]!;
  return sum;
}
