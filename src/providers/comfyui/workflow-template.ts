import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * ComfyUI workflow templates: an API-format workflow plus a map of named parameters onto node
 * inputs, so users never edit node ids. Format (JSON):
 *
 * ```json
 * { "workflow": { "6": { "class_type": "CLIPTextEncode", "inputs": { "text": "", "clip": ["4", 1] } }, … },
 *   "parameters": { "prompt": [{ "node": "6", "input": "text" }], "seed": [{ "node": "3", "input": "seed" }], … },
 *   "output_node": "9" }
 * ```
 *
 * Every parameter maps to one or more inputs (a prompt may feed two encoders). Only `prompt` is
 * required; an unmapped parameter keeps the workflow's own value. `output_node` picks the node
 * whose images are the result; unset = every node's `output` images.
 */

export const WORKFLOW_PARAMETERS = [
  'prompt',
  'negative_prompt',
  'seed',
  'width',
  'height',
  'steps',
  'cfg',
  'checkpoint',
  'input_image',
  'input_mask',
  'denoise',
  'batch_size',
] as const;

export type WorkflowParameter = (typeof WORKFLOW_PARAMETERS)[number];

const targetSchema = z.object({ node: z.string().min(1), input: z.string().min(1) }).strict();
const targetsSchema = z.array(targetSchema).min(1);

const nodeSchema = z.looseObject({
  class_type: z.string().min(1),
  inputs: z.record(z.string(), z.unknown()),
});

const parametersSchema = z
  .object({
    prompt: targetsSchema,
    negative_prompt: targetsSchema.optional(),
    seed: targetsSchema.optional(),
    width: targetsSchema.optional(),
    height: targetsSchema.optional(),
    steps: targetsSchema.optional(),
    cfg: targetsSchema.optional(),
    checkpoint: targetsSchema.optional(),
    input_image: targetsSchema.optional(),
    input_mask: targetsSchema.optional(),
    denoise: targetsSchema.optional(),
    batch_size: targetsSchema.optional(),
  })
  .strict();

export const workflowTemplateSchema = z
  .object({
    description: z.string().optional(),
    workflow: z
      .record(z.string(), nodeSchema)
      .refine((nodes) => Object.keys(nodes).length > 0, 'the workflow has no nodes'),
    parameters: parametersSchema,
    output_node: z.string().optional(),
  })
  .strict()
  .superRefine((template, context) => {
    for (const [name, targets] of Object.entries(template.parameters)) {
      for (const [index, target] of (targets ?? []).entries()) {
        const node = template.workflow[target.node];
        if (!node) {
          context.addIssue({
            code: 'custom',
            path: ['parameters', name, index, 'node'],
            message: `node '${target.node}' is not in the workflow`,
          });
        } else if (!(target.input in node.inputs)) {
          context.addIssue({
            code: 'custom',
            path: ['parameters', name, index, 'input'],
            message: `node '${target.node}' (${node.class_type}) has no input '${target.input}'; it has ${Object.keys(node.inputs).join(', ')}`,
          });
        }
      }
    }
    if (template.output_node !== undefined && !template.workflow[template.output_node]) {
      context.addIssue({
        code: 'custom',
        path: ['output_node'],
        message: `node '${template.output_node}' is not in the workflow`,
      });
    }
  });

export type WorkflowTemplate = z.infer<typeof workflowTemplateSchema>;
export type WorkflowNode = z.infer<typeof nodeSchema>;

/** Validates a parsed template; the error names the file and the bad field (`parameters.seed[0].node: …`). */
export function parseWorkflowTemplate(
  json: unknown,
  source: string,
  options: { needsInputImage?: boolean; needsInputMask?: boolean } = {},
): WorkflowTemplate {
  const parsed = workflowTemplateSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
    throw new Error(`ComfyUI workflow template ${source} is invalid: ${problems.join('; ')}`);
  }
  if (options.needsInputImage && !parsed.data.parameters.input_image) {
    throw new Error(
      `ComfyUI workflow template ${source} is used for image input but maps no 'input_image' parameter`,
    );
  }
  if (options.needsInputMask && !parsed.data.parameters.input_mask) {
    throw new Error(
      `ComfyUI workflow template ${source} is used for masked edits but maps no 'input_mask' parameter`,
    );
  }
  return parsed.data;
}

function formatPath(path: readonly PropertyKey[]): string {
  return (
    path.reduce<string>(
      (text, part) =>
        typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part),
      '',
    ) || '(root)'
  );
}

/**
 * Reads and validates a template file; `builtin:text-to-image`, `builtin:image-to-image` and
 * `builtin:inpaint` name the shipped ones.
 */
export function loadWorkflowTemplate(
  path: string,
  options: { needsInputImage?: boolean; needsInputMask?: boolean } = {},
): WorkflowTemplate {
  const file = path.startsWith('builtin:')
    ? fileURLToPath(new URL(`./workflows/${path.slice('builtin:'.length)}.json`, import.meta.url))
    : path;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`ComfyUI workflow template ${path} could not be read: ${(error as Error).message}`);
  }
  return parseWorkflowTemplate(json, path, options);
}

/** A copy of the workflow with the given parameter values set on their mapped inputs. */
export function fillWorkflow(
  template: WorkflowTemplate,
  values: Partial<Record<WorkflowParameter, string | number>>,
): Record<string, WorkflowNode> {
  const workflow = structuredClone(template.workflow);
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    for (const target of template.parameters[name as WorkflowParameter] ?? []) {
      const node = workflow[target.node];
      if (node) node.inputs[target.input] = value;
    }
  }
  return workflow;
}

/** The named parameters mapped onto a node (for reporting a node error by name). */
export function parametersOfNode(
  template: WorkflowTemplate,
  nodeId: string,
): { name: WorkflowParameter; input: string }[] {
  const found: { name: WorkflowParameter; input: string }[] = [];
  for (const name of WORKFLOW_PARAMETERS) {
    for (const target of template.parameters[name] ?? []) {
      if (target.node === nodeId) found.push({ name, input: target.input });
    }
  }
  return found;
}
