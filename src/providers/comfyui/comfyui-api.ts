import { z } from 'zod';
import { AppError } from '../../domain/errors.ts';
import { errorFromStatus, type ProviderLabel, tryParseJson } from '../http.ts';
import { retryAfterMsFrom } from '../retry-hints.ts';
import type { PromptOutcome } from './comfyui-events.ts';
import { parametersOfNode, type WorkflowTemplate } from './workflow-template.ts';

/** ComfyUI wire details: minimal answer schemas, and errors (node errors by parameter name) → taxonomy. */

export const promptAnswerSchema = z.object({ prompt_id: z.string().min(1) });

export const uploadAnswerSchema = z.object({ name: z.string().min(1), subfolder: z.string().optional() });

const imageRefSchema = z.object({
  filename: z.string(),
  subfolder: z.string().default(''),
  type: z.string().default('output'),
});
export type ImageRef = z.infer<typeof imageRefSchema>;

const historyEntrySchema = z.object({
  outputs: z.record(z.string(), z.looseObject({ images: z.array(imageRefSchema).optional() })).default({}),
  status: z
    .looseObject({
      status_str: z.string().optional(),
      completed: z.boolean().optional(),
      messages: z.array(z.unknown()).optional(),
    })
    .optional(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

/** `GET /history/{id}` is `{}` while the prompt is unknown or running. */
export const historyAnswerSchema = z.record(z.string(), historyEntrySchema);

/** The result images of a finished prompt: the template's output node, else every node's `output` images. */
export function outputImagesOf(entry: HistoryEntry, outputNode: string | undefined): ImageRef[] {
  const nodes = outputNode ? [outputNode] : Object.keys(entry.outputs);
  return nodes.flatMap((node) =>
    (entry.outputs[node]?.images ?? []).filter((image) => image.type === 'output'),
  );
}

/** A finished history entry that failed: the `execution_error` among its status messages. */
export function historyFailure(entry: HistoryEntry): PromptOutcome | undefined {
  if (entry.status?.status_str !== 'error') return undefined;
  for (const message of entry.status.messages ?? []) {
    if (Array.isArray(message) && message[0] === 'execution_error') {
      const data = (message[1] ?? {}) as Record<string, unknown>;
      return {
        kind: 'error',
        nodeId: String(data.node_id ?? ''),
        nodeType: String(data.node_type ?? ''),
        exceptionType: String(data.exception_type ?? ''),
        exceptionMessage: String(data.exception_message ?? ''),
      };
    }
    if (Array.isArray(message) && message[0] === 'execution_interrupted') return { kind: 'interrupted' };
  }
  return {
    kind: 'error',
    nodeId: '',
    nodeType: '',
    exceptionType: '',
    exceptionMessage: 'the prompt ended with an error',
  };
}

/**
 * A runtime failure of the workflow. Out-of-memory and CUDA errors pass (retryable); any other
 * exception comes from the workflow or its inputs and would fail again, so it is not retried.
 */
export function executionError(
  label: ProviderLabel,
  outcome: Extract<PromptOutcome, { kind: 'error' }>,
  template: WorkflowTemplate,
): AppError {
  const transient = /OutOfMemory|out of memory|CUDA/i.test(
    `${outcome.exceptionType} ${outcome.exceptionMessage}`,
  );
  const parameters = parametersOfNode(template, outcome.nodeId).map((parameter) => parameter.name);
  const where = `node ${outcome.nodeId} (${outcome.nodeType})${parameters.length > 0 ? ` [${parameters.join(', ')}]` : ''}`;
  return new AppError(
    'provider_unavailable',
    `ComfyUI failed in ${where}: ${outcome.exceptionType}: ${outcome.exceptionMessage}`,
    {
      retryable: transient,
      details: {
        provider: label.providerId,
        node: outcome.nodeId,
        nodeType: outcome.nodeType,
        exceptionType: outcome.exceptionType,
        parameters,
      },
    },
  );
}

const nodeErrorsSchema = z.record(
  z.string(),
  z.looseObject({
    errors: z
      .array(
        z.looseObject({
          type: z.string().optional(),
          message: z.string().optional(),
          details: z.string().optional(),
        }),
      )
      .default([]),
    class_type: z.string().optional(),
  }),
);

const promptErrorSchema = z.looseObject({
  error: z.union([
    z.string(),
    z.looseObject({
      type: z.string().optional(),
      message: z.string().optional(),
      details: z.string().optional(),
    }),
  ]),
  node_errors: z.unknown().optional(),
});

/**
 * A refused `POST /prompt`. 400 validation errors become `invalid_request`, each node error named
 * by the template parameter it concerns (`checkpoint: Value not in list: ckpt_name: 'x' not in [...]`).
 */
export function promptError(
  label: ProviderLabel,
  status: number,
  headers: Headers,
  bodyText: string,
  template: WorkflowTemplate,
): AppError {
  const body = promptErrorSchema.safeParse(tryParseJson(bodyText));
  if (status !== 400 || !body.success) {
    // A proxy in front of ComfyUI may rate limit; its retry-after is honored like any other.
    const retryAfterMs = status === 429 ? retryAfterMsFrom(headers) : undefined;
    return errorFromStatus(label, {
      status,
      message: bodyText.slice(0, 200) || `HTTP ${status}`,
      retryAfterMs,
    });
  }
  const error = body.data.error;
  const summary =
    typeof error === 'string' ? error : [error.message, error.details].filter(Boolean).join(': ');
  const nodeErrors = nodeErrorsSchema.safeParse(body.data.node_errors);
  const issues: { field: string; message: string }[] = [];
  for (const [nodeId, nodeError] of Object.entries(nodeErrors.success ? nodeErrors.data : {})) {
    const parameters = parametersOfNode(template, nodeId);
    for (const item of nodeError.errors) {
      const text = [item.message, item.details].filter(Boolean).join(': ');
      // "ckpt_name: 'x' not in [...]" names the input; map it back to the parameter that fills it.
      const byInput = parameters.find((parameter) => item.details?.startsWith(`${parameter.input}:`));
      const field =
        byInput?.name ?? parameters[0]?.name ?? `node ${nodeId} (${nodeError.class_type ?? 'unknown'})`;
      issues.push({ field, message: text });
    }
  }
  const listed = issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
  return new AppError('invalid_request', `ComfyUI refused the workflow: ${listed || summary}`, {
    retryable: false,
    details: { provider: label.providerId, status, issues },
  });
}
