import { writeFileSync } from 'node:fs';
import path from 'node:path';
import onnxProto, { type onnx as OnnxTypes } from 'onnx-proto';

const { onnx } = onnxProto;

/**
 * Tiny ONNX graphs built in JavaScript, to test the model adapters without real weights (which we
 * never ship or download). Each writes a `.onnx` file into `dir` and answers its path.
 */

type Dim = number | string;

function valueInfo(name: string, dims: readonly Dim[]): OnnxTypes.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: dims.map((dim) => (typeof dim === 'number' ? { dimValue: dim } : { dimParam: dim })) },
      },
    },
  };
}

/** Writes a model of one graph; opset 13 has every operator these builders use. */
export function writeOnnxModel(
  file: string,
  graph: {
    nodes: OnnxTypes.INodeProto[];
    inputs: [string, readonly Dim[]][];
    outputs: [string, readonly Dim[]][];
  },
): string {
  const model = onnx.ModelProto.create({
    irVersion: 7,
    producerName: 'vitrine-tests',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: path.basename(file, '.onnx'),
      node: graph.nodes,
      input: graph.inputs.map(([name, dims]) => valueInfo(name, dims)),
      output: graph.outputs.map(([name, dims]) => valueInfo(name, dims)),
    },
  });
  writeFileSync(file, onnx.ModelProto.encode(model).finish());
  return file;
}

/**
 * An "image encoder": `pixel_values [1,3,H,W]` → the mean of each channel → `embeddings [1,3]`.
 * Same colours give the same embedding; it is enough to exercise loading, feeding and reading.
 */
export function writeTinyEmbeddingModel(dir: string, size = 224): string {
  return writeOnnxModel(path.join(dir, 'tiny-embedding.onnx'), {
    nodes: [
      { opType: 'GlobalAveragePool', input: ['pixel_values'], output: ['pooled'] },
      { opType: 'Flatten', input: ['pooled'], output: ['embeddings'] },
    ],
    inputs: [['pixel_values', [1, 3, size, size]]],
    outputs: [['embeddings', [1, 3]]],
  });
}

/**
 * A "matting network": `input [1,3,H,W]` → per pixel, sigmoid(k·(0.5 − mean of the channels)) →
 * `alpha [1,1,H,W]`: dark pixels are foreground. Lets a test plant a dark product on a light
 * backdrop and check the adapter's mask end to end.
 */
export function writeTinyMattingModel(dir: string, size = 320): string {
  const scale: OnnxTypes.ITensorProto = {
    name: 'k',
    dataType: onnx.TensorProto.DataType.FLOAT,
    dims: [],
    floatData: [-20],
  };
  const half: OnnxTypes.ITensorProto = {
    name: 'half',
    dataType: onnx.TensorProto.DataType.FLOAT,
    dims: [],
    floatData: [0.5],
  };
  const model = {
    nodes: [
      {
        opType: 'ReduceMean',
        input: ['input'],
        output: ['mean'],
        attribute: [
          { name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: [1] },
          { name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 1 },
        ],
      },
      { opType: 'Sub', input: ['mean', 'half'], output: ['centered'] },
      { opType: 'Mul', input: ['centered', 'k'], output: ['logits'] },
      { opType: 'Sigmoid', input: ['logits'], output: ['alpha'] },
    ],
    inputs: [['input', [1, 3, size, size]]] as [string, Dim[]][],
    outputs: [['alpha', [1, 1, size, size]]] as [string, Dim[]][],
  };
  const file = path.join(dir, 'tiny-matting.onnx');
  const proto = onnx.ModelProto.create({
    irVersion: 7,
    producerName: 'vitrine-tests',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'tiny-matting',
      node: model.nodes,
      initializer: [scale, half],
      input: model.inputs.map(([name, dims]) => valueInfo(name, dims)),
      output: model.outputs.map(([name, dims]) => valueInfo(name, dims)),
    },
  });
  writeFileSync(file, onnx.ModelProto.encode(proto).finish());
  return file;
}
