import { access, constants } from 'node:fs/promises';
import { AppError } from '../domain/errors.ts';

/** A float tensor in or out of a model: row-major data and its dimensions. */
export interface FloatTensor {
  data: Float32Array;
  dims: readonly number[];
}

type OrtModule = typeof import('onnxruntime-node');
type OrtSession = Awaited<ReturnType<OrtModule['InferenceSession']['create']>>;

let runtime: Promise<OrtModule> | undefined;

/** onnxruntime-node is large (native code): loaded the first time a model is, never at start-up. */
function loadRuntime(): Promise<OrtModule> {
  runtime ??= import('onnxruntime-node');
  return runtime;
}

/**
 * An ONNX model the operator supplies (a matting network, an image encoder), loaded from a path in
 * the configuration through onnxruntime-node on the CPU. Vitrine never downloads weights: without a
 * configured file the callers use their classical methods instead.
 */
export class OnnxModel {
  readonly path: string;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly #session: OrtSession;
  readonly #runtime: OrtModule;

  private constructor(path: string, session: OrtSession, ort: OrtModule) {
    this.path = path;
    this.#session = session;
    this.#runtime = ort;
    this.inputNames = session.inputNames;
    this.outputNames = session.outputNames;
  }

  /**
   * Loads the model at `path`. A missing, unreadable or invalid file is a configuration error that
   * names the setting (`setting`, e.g. `VITRINE_MATTING_MODEL`) and the path.
   */
  static async load(path: string, setting: string): Promise<OnnxModel> {
    try {
      await access(path, constants.R_OK);
    } catch {
      throw new AppError('invalid_request', `${setting}: cannot read the model file ${path}`);
    }
    const ort = await loadRuntime();
    try {
      const session = await ort.InferenceSession.create(path, {
        executionProviders: ['cpu'],
        graphOptimizationLevel: 'all',
      });
      return new OnnxModel(path, session, ort);
    } catch (error) {
      throw new AppError('invalid_request', `${setting}: ${path} is not a model ONNX Runtime can load`, {
        details: { reason: error instanceof Error ? error.message.slice(0, 300) : String(error) },
      });
    }
  }

  /** The declared shape of an input (`-1` or a name for free dimensions), to size what is fed. */
  inputShape(name: string): readonly (number | string)[] {
    const index = this.inputNames.indexOf(name);
    const metadata = this.#session.inputMetadata[index];
    return metadata && 'shape' in metadata ? metadata.shape : [];
  }

  /** Runs the model on float inputs by name; answers every output as a float tensor. */
  async run(feeds: Record<string, FloatTensor>): Promise<Record<string, FloatTensor>> {
    const inputs: Record<string, InstanceType<OrtModule['Tensor']>> = {};
    for (const [name, tensor] of Object.entries(feeds)) {
      inputs[name] = new this.#runtime.Tensor('float32', tensor.data, [...tensor.dims]);
    }
    const results = await this.#session.run(inputs);
    const outputs: Record<string, FloatTensor> = {};
    for (const [name, value] of Object.entries(results)) {
      outputs[name] = { data: Float32Array.from(value.data as ArrayLike<number>), dims: [...value.dims] };
    }
    return outputs;
  }

  async close(): Promise<void> {
    await this.#session.release();
  }
}
