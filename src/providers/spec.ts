import type { Brand } from '../domain/brand.ts';
import type { ImageCheck, ImageQuality } from '../domain/quality.ts';
import type { ImageFormat, Template } from '../domain/template.ts';
import type { BackendReport } from '../domain/worker.ts';

/**
 * The image-model contract (version 1). Every backend — the built-in `studio` layout engine, and
 * later OpenAI, Stability, Bedrock, ComfyUI, Automatic1111 — implements `ImageProvider`.
 * A change to these types is a breaking change for every adapter.
 */

/** What a provider can do; the generation service plans calls from it. */
export interface ProviderCapabilities {
  /** Most images one `generate` call returns; the service splits a job's `n` across calls. */
  maxImagesPerCall: number;
  /** Whether the provider honors `seed` (same seed, same request → same image). */
  seeds: boolean;
  /** Whether the provider honors a negative prompt. */
  negativePrompt: boolean;
  /** Whether the provider renders a template's layout itself (the studio engine does). */
  layouts: boolean;
  /** Whether the provider accepts an input image (img2img, edits). */
  imageInput: boolean;
  /** Whether it honors `inputImage.mask` (edits only where the mask is transparent). */
  inputMask?: boolean;
  /** Output formats the provider can produce directly; others are converted by the service. */
  formats: readonly ImageFormat[];
  /** Largest width or height in pixels the provider produces. */
  maxSide: number;
}

/** The layout part of a call, for providers with `capabilities.layouts`. */
export interface LayoutCall {
  template: Template;
  brand: Brand;
  /** Text params of the template, already validated. */
  params: Readonly<Record<string, string>>;
  /** Image params (e.g. `product_image`), already fetched, size-checked and normalized to PNG. */
  images: Readonly<Record<string, Uint8Array>>;
  /** The brand kit's logo (PNG), when the brand has one; drawn by `logo` layers. */
  logo?: Uint8Array;
  /**
   * A backdrop an image provider made from the template's prompt, for a layout whose background
   * is `generated`. Without it the studio paints a procedural one; the job's notes say which.
   */
  background?: Uint8Array;
  /**
   * Set when `background` was painted AROUND the product of one design (a masked edit of an init
   * image with the product at its final place): the studio draws that design for every image and
   * lays the background over the canvas exactly, so the product it draws on top lines up.
   */
  backgroundAround?: { composition: string; arrangement: number };
  /** A style pack id (`festive`, `minimal`, …) the caller asked for; absent: the template's default. */
  stylePack?: string;
}

export interface ImageCall {
  /** The final prompt, after template and brand were applied. */
  prompt: string;
  negativePrompt: string;
  model: string;
  width: number;
  height: number;
  format: ImageFormat;
  /** One seed per image asked of this call; `seeds.length` is the number of images. */
  seeds: readonly number[];
  layout: LayoutCall | null;
  /**
   * An image to start from (image-to-image, edits), for providers with `capabilities.imageInput`.
   * `bytes` are PNG (normalized by the service); `strength` 0..1 is how far the result may move
   * away from it (1 = ignore it). Backends without a strength knob (OpenAI edits) ignore it.
   */
  inputImage?: InputImage;
  /** Called with a fraction 0..1 as the provider makes progress. */
  onProgress?: (fraction: number) => void;
}

/** The starting image of an image-to-image call. */
export interface InputImage {
  /** PNG bytes. */
  bytes: Uint8Array;
  /** 0..1: how much the result may differ from the input (A1111 denoising_strength, Stability strength). */
  strength: number;
  /**
   * PNG of the input's size whose fully transparent pixels are where the model may paint (OpenAI's
   * edits convention), for providers with `capabilities.inputMask`.
   */
  mask?: Uint8Array;
}

export type ProviderWarning =
  | { type: 'unsupported'; feature: string; details?: string }
  | { type: 'other'; message: string }
  /**
   * Not a fault: a record of what the provider decided, kept on the job (the studio reports its
   * layout checks, which background it used and how it cut out the product). `attention` marks
   * notes a human should look at, such as a cut-out that needs review or a failed layout check.
   */
  | { type: 'note'; topic: string; message: string; attention: boolean; data?: Record<string, unknown> };

export interface GeneratedImage {
  bytes: Uint8Array;
  /** The format the bytes are in; may differ from the asked one when the provider cannot. */
  format: ImageFormat;
  seed: number;
  /**
   * What the provider measured of this image (layout engines score their designs; the studio adds
   * its product cut-out and the marketplace profile its template is tied to); the service adds its
   * own checks (decodes, exact size, not blank) and stores the whole with the image.
   */
  quality?: ImageQuality;
  /**
   * The service's own check of exactly these bytes (decodes, exact size, not one flat color), when
   * the provider made it where the pixels were (the studio's render processes): the service then
   * does not decode the image again. Absent, the service checks the bytes itself.
   */
  check?: ImageCheck;
}

export interface ImageResult {
  images: GeneratedImage[];
  warnings: ProviderWarning[];
  /** The model that actually answered. */
  model: string;
  /** The provider's own request id, for support tickets. */
  requestId?: string;
  /** What the provider charged for this call, when it says so. */
  costUsd?: number;
}

export interface ProviderHealth {
  ok: boolean;
  message?: string;
  checkedAt: string;
}

export interface ImageProvider {
  /** Unique within a deployment: 'studio', 'openai', 'comfyui-gpu1'. */
  readonly id: string;
  /** The backend kind: 'studio', 'openai', 'comfyui', … */
  readonly kind: string;
  readonly defaultModel: string;
  readonly models: readonly string[];
  readonly capabilities: ProviderCapabilities;
  /**
   * Produce `call.seeds.length` images. Must reject with an `AppError` from domain/errors.ts
   * (`retryable` decides whether the queue retries) and stop promptly when `signal` aborts.
   */
  generate(call: ImageCall, signal: AbortSignal): Promise<ImageResult>;
  /** A cheap liveness check for `GET /v1/providers` and `vitrine doctor`. */
  checkHealth(signal: AbortSignal): Promise<ProviderHealth>;
  /**
   * Self-hosted GPU backends (ComfyUI, A1111) only: each server's GPU and queue from its status
   * routes, for the worker heartbeat (`GET /v1/workers`). Never rejects; a silent server says so.
   */
  backendStatus?(signal: AbortSignal): Promise<BackendReport[]>;
}
