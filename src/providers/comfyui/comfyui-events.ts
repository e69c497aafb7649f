import { EventEmitter } from 'node:events';

/**
 * One websocket connection to ComfyUI (`/ws?clientId=…`), opened before any prompt is queued so
 * no event is missed, sorting events by `prompt_id`. Events may arrive before `POST /prompt`
 * answers with the id, so they are kept per prompt until someone waits for it.
 */

/** How one prompt ended, as the websocket told it. `lost` = the socket closed first. */
export type PromptOutcome =
  | { kind: 'success' }
  | { kind: 'error'; nodeId: string; nodeType: string; exceptionType: string; exceptionMessage: string }
  | { kind: 'interrupted' }
  | { kind: 'lost' };

interface PromptState {
  started: boolean;
  outcome?: PromptOutcome;
  progress?: { value: number; max: number };
  /** Called on every progress event, synchronously, so bursts are not collapsed. */
  onProgress?: (value: number, max: number) => void;
}

/** Binary frame type 1: a preview image (4-byte type, 4-byte image format, image bytes). */
export const BINARY_PREVIEW_IMAGE = 1;

/** The event type and image format of a binary frame; previews and other binary events are not ours to use. */
export function parseBinaryFrameHeader(
  data: ArrayBuffer,
): { eventType: number; imageFormat: number } | undefined {
  if (data.byteLength < 8) return undefined;
  const view = new DataView(data);
  return { eventType: view.getUint32(0), imageFormat: view.getUint32(4) };
}

export class ComfyEvents extends EventEmitter {
  readonly #socket: WebSocket;
  readonly #prompts = new Map<string, PromptState>();
  #closed = false;
  /** Binary frames seen (previews); kept for diagnostics and tests. */
  binaryFrames = 0;

  private constructor(socket: WebSocket) {
    super();
    this.#socket = socket;
    socket.binaryType = 'arraybuffer';
    socket.addEventListener('message', (event) => this.#onMessage(event.data));
    socket.addEventListener('close', () => {
      this.#closed = true;
      this.emit('change');
    });
  }

  /** Opens the socket; rejects with the connection failure (the server is down or not ComfyUI). */
  static open(url: string, signal: AbortSignal): Promise<ComfyEvents> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      const onAbort = () => {
        socket.close();
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      socket.addEventListener(
        'open',
        () => {
          signal.removeEventListener('abort', onAbort);
          resolve(new ComfyEvents(socket));
        },
        { once: true },
      );
      socket.addEventListener(
        'error',
        () => {
          signal.removeEventListener('abort', onAbort);
          reject(new Error(`websocket ${url} failed to open`));
        },
        { once: true },
      );
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Whether ComfyUI began running the prompt (decides between dequeue and interrupt on cancel). */
  hasStarted(promptId: string): boolean {
    return this.#prompts.get(promptId)?.started ?? false;
  }

  /** Resolves when the prompt ends (or the socket closes); `onProgress` gets sampler steps as value/max. */
  async waitForOutcome(
    promptId: string,
    signal: AbortSignal,
    onProgress?: (value: number, max: number) => void,
  ): Promise<PromptOutcome> {
    const state = this.#state(promptId);
    state.onProgress = onProgress;
    if (state.progress) onProgress?.(state.progress.value, state.progress.max);
    for (;;) {
      if (state.outcome) return state.outcome;
      if (this.#closed) return { kind: 'lost' };
      if (signal.aborted) throw signal.reason;
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.off('change', wake);
          signal.removeEventListener('abort', wake);
          resolve();
        };
        this.on('change', wake);
        signal.addEventListener('abort', wake, { once: true });
      });
    }
  }

  close(): void {
    this.#socket.close();
  }

  #state(promptId: string): PromptState {
    let state = this.#prompts.get(promptId);
    if (!state) {
      state = { started: false };
      this.#prompts.set(promptId, state);
    }
    return state;
  }

  #onMessage(data: unknown) {
    if (data instanceof ArrayBuffer) {
      // Previews (type 1) and other binary events carry no state we track; skipping keeps memory flat.
      if (parseBinaryFrameHeader(data)) this.binaryFrames += 1;
      return;
    }
    let message: { type?: string; data?: Record<string, unknown> };
    try {
      message = JSON.parse(String(data));
    } catch {
      return;
    }
    const payload = message.data ?? {};
    const promptId = typeof payload.prompt_id === 'string' ? payload.prompt_id : undefined;
    if (!promptId) return;
    const state = this.#state(promptId);
    switch (message.type) {
      case 'execution_start':
      case 'execution_cached':
        state.started = true;
        break;
      case 'executing':
        state.started = true;
        if (payload.node === null) state.outcome ??= { kind: 'success' };
        break;
      case 'progress':
        state.started = true;
        state.progress = { value: Number(payload.value), max: Number(payload.max) };
        state.onProgress?.(state.progress.value, state.progress.max);
        break;
      case 'execution_success':
        state.outcome ??= { kind: 'success' };
        break;
      case 'execution_error':
        state.outcome = {
          kind: 'error',
          nodeId: String(payload.node_id ?? ''),
          nodeType: String(payload.node_type ?? ''),
          exceptionType: String(payload.exception_type ?? ''),
          exceptionMessage: String(payload.exception_message ?? ''),
        };
        break;
      case 'execution_interrupted':
        state.outcome = { kind: 'interrupted' };
        break;
      default:
        return;
    }
    this.emit('change');
  }
}
