import type { ServerResponse } from 'node:http';
import { drop, type FakeContext, FakeHttpServer, fakeImages, hang, makePng, sendJson } from './fake-http.ts';

/**
 * A loopback Automatic1111 `--api`: txt2img/img2img (answering `images` + `info` as a JSON
 * string), a progress endpoint that advances one step per poll, interrupt, sd-models, and memory.
 * A generation answers after `progressPollsPerGeneration` progress polls, like a real sampler
 * advancing while the client watches; with 0 it answers at once.
 */
export class FakeA1111Server extends FakeHttpServer {
  progressPollsPerGeneration = 2;
  /** Answer with a grid image first, as A1111 does for batches when `return_grid` is on. */
  returnGrid = false;
  /** Whether `/sdapi/v1/memory` reports a CUDA device, and how much of its memory is in use. */
  cudaAvailable = true;
  vramUsed = 6 * 1024 ** 3;
  /** `user:pass` required as basic auth, when set. */
  credentials: string | undefined;
  #running: { polls: number; finish: () => void } | undefined;
  #hanging: ServerResponse | undefined;

  constructor() {
    super((context) => this.#route(context));
  }

  #route(context: FakeContext) {
    const { request, res } = context;
    if (
      this.credentials &&
      request.headers.authorization !== `Basic ${Buffer.from(this.credentials).toString('base64')}`
    ) {
      return sendJson(res, 401, { detail: 'Not authenticated' });
    }
    if (request.method === 'GET' && request.path === '/sdapi/v1/sd-models') {
      return sendJson(res, 200, [
        { title: 'sdxl_base.safetensors [31e35c80fc]', model_name: 'sdxl_base', hash: '31e35c80fc' },
      ]);
    }
    if (request.method === 'GET' && request.path === '/sdapi/v1/progress') return this.#progress(res);
    if (request.method === 'GET' && request.path === '/sdapi/v1/memory') return this.#memory(res);
    if (request.method === 'POST' && request.path === '/sdapi/v1/interrupt') {
      // A real interrupt makes the running generation return early with what it has.
      this.#hanging?.destroy();
      this.#hanging = undefined;
      return sendJson(res, 200, {});
    }
    if (
      request.method === 'POST' &&
      (request.path === '/sdapi/v1/txt2img' || request.path === '/sdapi/v1/img2img')
    ) {
      return this.#generate(context);
    }
    sendJson(res, 404, { detail: 'Not Found' });
  }

  /** As A1111 answers: process RAM, and torch's CUDA figures (or `{error}` without a GPU). */
  #memory(res: ServerResponse) {
    const gib = 1024 ** 3;
    const cuda = this.cudaAvailable
      ? {
          system: { free: 24 * gib - this.vramUsed, used: this.vramUsed, total: 24 * gib },
          active: { current: 3 * gib, peak: 5 * gib },
          allocated: { current: 3 * gib, peak: 5 * gib },
          reserved: { current: 4 * gib, peak: 6 * gib },
          inactive: { current: 0, peak: gib },
          events: { retries: 0, oom: 0 },
        }
      : { error: 'unavailable' };
    sendJson(res, 200, { ram: { free: 40 * gib, used: 8 * gib, total: 48 * gib }, cuda });
  }

  #progress(res: ServerResponse) {
    const running = this.#running;
    if (!running) {
      return sendJson(res, 200, {
        progress: 0,
        eta_relative: 0,
        state: {
          skipped: false,
          interrupted: false,
          job: '',
          job_count: 0,
          job_no: 0,
          sampling_step: 0,
          sampling_steps: 0,
        },
        current_image: null,
      });
    }
    running.polls += 1;
    const total = this.progressPollsPerGeneration + 1;
    sendJson(res, 200, {
      progress: running.polls / total,
      eta_relative: 1,
      state: {
        skipped: false,
        interrupted: false,
        job: 'txt2img',
        job_count: 1,
        job_no: 0,
        sampling_step: running.polls * 10,
        sampling_steps: total * 10,
      },
      current_image: null,
    });
    if (running.polls >= this.progressPollsPerGeneration) running.finish();
  }

  #generate(context: FakeContext) {
    const { request, res } = context;
    const scenario = context.takeScenario();
    if (scenario === 'hang') {
      this.#hanging = res;
      const hanging = { polls: 0, finish: () => {} };
      this.#running = hanging;
      // The close may come after the next generation started; only clear our own slot.
      res.on('close', () => {
        if (this.#running === hanging) this.#running = undefined;
      });
      return hang(this, context);
    }
    if (scenario === 'drop') return drop(context);
    if (scenario === 'rate_limit_with_hint')
      return sendJson(res, 429, { detail: 'Too Many Requests' }, { 'retry-after': '2' });
    if (scenario === 'rate_limit') return sendJson(res, 429, { detail: 'Too Many Requests' });
    if (scenario === 'server_error') {
      return sendJson(res, 500, {
        error: 'OutOfMemoryError',
        detail: '',
        body: '',
        errors: 'CUDA out of memory.',
      });
    }
    if (scenario === 'malformed') return sendJson(res, 200, '{"images": ["iVBOR');
    if (scenario === 'no_image') return sendJson(res, 200, { images: [], parameters: {}, info: '{}' });

    const body = (request.json ?? {}) as Record<string, unknown>;
    const problems: { loc: (string | number)[]; msg: string; type: string }[] = [];
    if (typeof body.prompt !== 'string')
      problems.push({ loc: ['body', 'prompt'], msg: 'field required', type: 'value_error.missing' });
    if (typeof body.width === 'number' && body.width % 8 !== 0) {
      problems.push({ loc: ['body', 'width'], msg: 'must be a multiple of 8', type: 'value_error' });
    }
    if (typeof body.batch_size === 'number' && body.batch_size > 8) {
      problems.push({
        loc: ['body', 'batch_size'],
        msg: 'ensure this value is less than or equal to 8',
        type: 'value_error',
      });
    }
    if (problems.length > 0) return sendJson(res, 422, { detail: problems });

    const answer = () => {
      this.#running = undefined;
      const seed = Number(body.seed ?? -1) === -1 ? 4242 : Number(body.seed);
      const count = Number(body.batch_size ?? 1);
      const allSeeds = Array.from({ length: count }, (_, index) => seed + index);
      const images = allSeeds.map((value) =>
        Buffer.from(fakeImages.make(4, 4, value % 256)).toString('base64'),
      );
      if (this.returnGrid && count > 1) images.unshift(Buffer.from(makePng(8, 8, 1)).toString('base64'));
      const info = {
        prompt: body.prompt,
        seed,
        all_seeds: allSeeds,
        sd_model_name: 'sdxl_base',
        sd_model_hash: '31e35c80fc',
        index_of_first_image: this.returnGrid && count > 1 ? 1 : 0,
      };
      sendJson(res, 200, { images, parameters: body, info: JSON.stringify(info) });
    };
    if (this.progressPollsPerGeneration === 0) return answer();
    this.#running = { polls: 0, finish: answer };
  }
}
