import { randomUUID } from 'node:crypto';
import { type WebSocket, WebSocketServer } from 'ws';
import { drop, type FakeContext, FakeHttpServer, fakeImages, makePng, sendJson } from './fake-http.ts';

/**
 * A loopback ComfyUI: `/prompt`, `/history/{id}`, `/view`, `/upload/image`, `/queue` (GET lists
 * running and pending prompts, POST deletes), `/interrupt`, `/system_stats` (devices with VRAM), and the `/ws?clientId=` websocket sending the event sequence of a real run
 * (status, execution_start, execution_cached, executing, progress × N with binary preview frames,
 * executed, execution_success, executing null). Events are paced with `setImmediate`, never timers.
 */

const CHECKPOINTS = ['sd_xl_base_1.0.safetensors', 'juggernaut_xl.safetensors'];
const PROGRESS_STEPS = 3;
/** The inputs ComfyUI requires of the node classes the built-in workflows use. */
const REQUIRED_INPUTS: Record<string, string[]> = {
  LoadImage: ['image'],
  LoadImageMask: ['image', 'channel'],
  VAEEncode: ['pixels', 'vae'],
  VAEEncodeForInpaint: ['pixels', 'vae', 'mask', 'grow_mask_by'],
  InpaintModelConditioning: ['positive', 'negative', 'vae', 'pixels', 'mask'],
  KSampler: [
    'model',
    'seed',
    'steps',
    'cfg',
    'sampler_name',
    'scheduler',
    'positive',
    'negative',
    'latent_image',
    'denoise',
  ],
  VAEDecode: ['samples', 'vae'],
  SaveImage: ['images', 'filename_prefix'],
};

interface StoredPrompt {
  id: string;
  clientId: string;
  prompt: Record<string, { class_type: string; inputs: Record<string, unknown> }>;
  history?: unknown;
  /** Remaining `/history` answers of `{}` before the entry shows (polling after a websocket drop). */
  hiddenPolls: number;
}

export class FakeComfyUIServer extends FakeHttpServer {
  readonly prompts = new Map<string, StoredPrompt>();
  readonly uploads = new Map<string, Uint8Array>();
  readonly #sockets = new Map<string, WebSocket>();
  readonly #wss: WebSocketServer;
  /** Close the client's websocket right after execution starts, to exercise the history polling. */
  dropWebSocketAfterStart = false;
  /** Fail the next run with this `execution_error` exception. */
  nextExecutionError: { type: string; message: string } | undefined;
  /** Name of this server in output file names, to tell several servers apart. */
  name = 'gpu0';
  /** What `/system_stats` reports of the first device. */
  gpuName = 'cuda:0 NVIDIA L4 : cudaMallocAsync';
  vramTotal = 23_580_639_232;
  vramFree = 19_293_798_400;
  /** Prompts `/queue` lists as waiting (besides those running). */
  pendingPrompts = 0;

  constructor() {
    super((context) => this.#route(context));
    this.#wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://fake');
      if (url.pathname !== '/ws') return socket.destroy();
      this.#wss.handleUpgrade(req, socket, head, (ws) => {
        const clientId = url.searchParams.get('clientId') ?? randomUUID();
        this.#sockets.set(clientId, ws);
        ws.on('close', () => this.#sockets.delete(clientId));
        this.emit('ws-connected', clientId);
        ws.send(
          JSON.stringify({
            type: 'status',
            data: { status: { exec_info: { queue_remaining: 0 } }, sid: clientId },
          }),
        );
      });
    });
  }

  override async close(): Promise<void> {
    for (const ws of this.#sockets.values()) ws.terminate();
    this.#wss.close();
    await super.close();
  }

  #route(context: FakeContext) {
    const { request, res } = context;
    const path = request.path.replace(/^\/api(?=\/)/, '');
    if (request.method === 'GET' && path === '/system_stats') {
      return sendJson(res, 200, {
        system: {
          os: 'posix',
          ram_total: 67_108_864_000,
          ram_free: 50_000_000_000,
          comfyui_version: '0.3.40',
          python_version: '3.12.3',
          pytorch_version: '2.7.0+cu128',
          embedded_python: false,
          argv: ['main.py', '--listen'],
        },
        devices: [
          {
            name: this.gpuName,
            type: 'cuda',
            index: 0,
            vram_total: this.vramTotal,
            vram_free: this.vramFree,
            torch_vram_total: 2_147_483_648,
            torch_vram_free: 1_073_741_824,
          },
        ],
      });
    }
    if (request.method === 'GET' && path === '/queue') {
      // Every prompt still without a result is running here; a hung one stays in the queue.
      const running = [...this.prompts.values()].filter((stored) => !stored.history);
      return sendJson(res, 200, {
        queue_running: running.map((stored, index) => [
          index,
          stored.id,
          stored.prompt,
          { client_id: stored.clientId },
          ['9'],
        ]),
        queue_pending: Array.from({ length: this.pendingPrompts }, (_, index) => [
          running.length + index,
          `pending-${index}`,
          {},
          {},
          ['9'],
        ]),
      });
    }
    if (request.method === 'POST' && path === '/prompt') return this.#queuePrompt(context);
    if (request.method === 'GET' && path.startsWith('/history/'))
      return this.#history(context, path.slice('/history/'.length));
    if (request.method === 'GET' && path === '/view') return this.#view(context);
    if (request.method === 'POST' && path === '/upload/image') {
      const image = request.form?.image;
      if (!image || typeof image === 'string') return sendJson(res, 400, { error: 'no image' });
      this.uploads.set(image.filename, image.bytes);
      return sendJson(res, 200, { name: image.filename, subfolder: '', type: 'input' });
    }
    if (request.method === 'POST' && (path === '/queue' || path === '/interrupt')) {
      const body = (request.json ?? {}) as { delete?: string[]; prompt_id?: string };
      for (const id of [...(body.delete ?? []), ...(body.prompt_id ? [body.prompt_id] : [])])
        this.#interrupt(id);
      res.writeHead(200);
      return res.end();
    }
    sendJson(res, 404, { error: 'not found' });
  }

  #queuePrompt(context: FakeContext) {
    const { request, res } = context;
    const scenario = context.takeScenario();
    if (scenario === 'drop') return drop(context);
    if (scenario === 'server_error') return sendJson(res, 500, { error: 'Internal Server Error' });
    // ComfyUI itself never rate limits; a reverse proxy in front of it (nginx limit_req) does.
    if (scenario === 'rate_limit_with_hint')
      return sendJson(res, 429, { error: 'Too Many Requests' }, { 'retry-after': '2' });
    if (scenario === 'rate_limit') return sendJson(res, 429, { error: 'Too Many Requests' });
    const body = (request.json ?? {}) as { prompt?: StoredPrompt['prompt']; client_id?: string };
    if (!body.prompt) return sendJson(res, 400, { error: 'no prompt', node_errors: [] });
    const nodeErrors: Record<string, unknown> = this.#graphErrors(body.prompt);
    for (const [id, node] of Object.entries(body.prompt)) {
      const checkpoint = node.inputs.ckpt_name;
      if (node.class_type === 'CheckpointLoaderSimple' && !CHECKPOINTS.includes(String(checkpoint))) {
        nodeErrors[id] = {
          errors: [
            {
              type: 'value_not_in_list',
              message: 'Value not in list',
              details: `ckpt_name: '${checkpoint}' not in ${JSON.stringify(CHECKPOINTS)}`,
              extra_info: {},
            },
          ],
          dependent_outputs: ['9'],
          class_type: node.class_type,
        };
      }
    }
    if (Object.keys(nodeErrors).length > 0) {
      return sendJson(res, 400, {
        error: {
          type: 'prompt_outputs_failed_validation',
          message: 'Prompt outputs failed validation',
          details: '',
          extra_info: {},
        },
        node_errors: nodeErrors,
      });
    }
    const stored: StoredPrompt = {
      id: randomUUID(),
      clientId: body.client_id ?? '',
      prompt: body.prompt,
      hiddenPolls: 0,
    };
    this.prompts.set(stored.id, stored);
    sendJson(res, 200, { prompt_id: stored.id, number: this.prompts.size, node_errors: {} });
    void this.#run(stored, scenario);
  }

  /**
   * What ComfyUI's validation refuses in a graph, in its `node_errors` shape: a link to a node that
   * is not there, a required input missing (for the node classes Vitrine's workflows use), an image
   * loader naming a file that was never uploaded, a mask channel that does not exist.
   */
  #graphErrors(prompt: StoredPrompt['prompt']): Record<string, unknown> {
    const errors: Record<string, unknown> = {};
    const fail = (id: string, classType: string, type: string, message: string, details: string) => {
      errors[id] = {
        errors: [{ type, message, details, extra_info: {} }],
        dependent_outputs: ['9'],
        class_type: classType,
      };
    };
    for (const [id, node] of Object.entries(prompt)) {
      for (const name of REQUIRED_INPUTS[node.class_type] ?? []) {
        if (!(name in node.inputs))
          fail(id, node.class_type, 'required_input_missing', 'Required input is missing', name);
      }
      for (const [name, value] of Object.entries(node.inputs)) {
        if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && !prompt[value[0]]) {
          fail(
            id,
            node.class_type,
            'bad_linked_input',
            'Bad linked input',
            `${name}: node ${value[0]} does not exist`,
          );
        }
      }
      if (node.class_type === 'LoadImage' || node.class_type === 'LoadImageMask') {
        const image = String(node.inputs.image);
        if (!this.uploads.has(image)) {
          fail(
            id,
            node.class_type,
            'custom_validation_failed',
            'Custom validation failed for node',
            `image - Invalid image file: ${image}`,
          );
        }
      }
      if (
        node.class_type === 'LoadImageMask' &&
        !['alpha', 'red', 'green', 'blue'].includes(String(node.inputs.channel))
      ) {
        fail(
          id,
          node.class_type,
          'value_not_in_list',
          'Value not in list',
          `channel: '${String(node.inputs.channel)}' not in ['alpha', 'red', 'green', 'blue']`,
        );
      }
    }
    return errors;
  }

  /** Plays a run over the websocket, one event per `setImmediate` turn. */
  async #run(stored: StoredPrompt, scenario: string | undefined) {
    const ws = this.#sockets.get(stored.clientId);
    const prompt_id = stored.id;
    const send = async (type: string, data: Record<string, unknown>) => {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.prompts.get(prompt_id)?.history === 'interrupted') throw new Error('interrupted');
      ws?.send(JSON.stringify({ type, data }));
    };
    try {
      await send('status', { status: { exec_info: { queue_remaining: 1 } } });
      await send('execution_start', { prompt_id, timestamp: Date.now() });
      if (this.dropWebSocketAfterStart) {
        stored.hiddenPolls = 1;
        ws?.close();
      }
      await send('execution_cached', { nodes: [], prompt_id, timestamp: Date.now() });
      await send('executing', { node: '4', display_node: '4', prompt_id });
      await send('executing', { node: '3', display_node: '3', prompt_id });
      if (scenario === 'hang') {
        // Runs forever at the first sampler step, until interrupted.
        return await send('progress', { value: 1, max: PROGRESS_STEPS, prompt_id, node: '3' });
      }
      for (let step = 1; step <= PROGRESS_STEPS; step++) {
        await send('progress', { value: step, max: PROGRESS_STEPS, prompt_id, node: '3' });
        // A preview frame: 4-byte event type 1, 4-byte image type 2 (PNG), then the image.
        const header = Buffer.alloc(8);
        header.writeUInt32BE(1, 0);
        header.writeUInt32BE(2, 4);
        ws?.send(Buffer.concat([header, makePng(2, 2, step)]));
      }
      const error = this.nextExecutionError;
      if (error) {
        this.nextExecutionError = undefined;
        const data = {
          prompt_id,
          node_id: '3',
          node_type: 'KSampler',
          executed: [],
          exception_message: error.message,
          exception_type: error.type,
          traceback: [],
        };
        stored.history = {
          prompt: [],
          outputs: {},
          status: { status_str: 'error', completed: false, messages: [['execution_error', data]] },
        };
        return await send('execution_error', data);
      }
      const seed = Number(
        Object.values(stored.prompt).find((node) => node.class_type === 'KSampler')?.inputs.seed ?? 0,
      );
      const images = [{ filename: `${this.name}_${seed}_00001_.png`, subfolder: '', type: 'output' }];
      const outputs = scenario === 'no_image' ? {} : { '9': { images } };
      stored.history =
        scenario === 'malformed'
          ? 'malformed'
          : { prompt: [], outputs, status: { status_str: 'success', completed: true, messages: [] } };
      await send('executing', { node: '9', display_node: '9', prompt_id });
      await send('executed', { node: '9', display_node: '9', output: { images }, prompt_id });
      await send('execution_success', { prompt_id, timestamp: Date.now() });
      await send('executing', { node: null, prompt_id });
      await send('status', { status: { exec_info: { queue_remaining: 0 } } });
    } catch {
      // Interrupted: the run stops sending.
    }
  }

  #interrupt(id: string) {
    const stored = this.prompts.get(id);
    if (!stored || stored.history) return;
    stored.history = 'interrupted';
    this.#sockets.get(stored.clientId)?.send(
      JSON.stringify({
        type: 'execution_interrupted',
        data: { prompt_id: id, node_id: '3', node_type: 'KSampler', executed: [] },
      }),
    );
  }

  #history(context: FakeContext, id: string) {
    const stored = this.prompts.get(id);
    if (!stored?.history || stored.history === 'interrupted' || stored.hiddenPolls > 0) {
      if (stored && stored.hiddenPolls > 0) stored.hiddenPolls -= 1;
      return sendJson(context.res, 200, {});
    }
    if (stored.history === 'malformed') return sendJson(context.res, 200, `{"${id}": {"outputs": `);
    sendJson(context.res, 200, { [id]: stored.history });
  }

  #view(context: FakeContext) {
    const filename = context.request.query.get('filename') ?? '';
    if (filename.includes('..')) return sendJson(context.res, 400, { error: 'invalid filename' });
    const seed = Number(filename.split('_')[1] ?? 0);
    context.res.writeHead(200, { 'content-type': 'image/png' });
    context.res.end(fakeImages.make(4, 4, seed % 256));
  }
}
