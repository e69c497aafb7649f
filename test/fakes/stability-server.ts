import { drop, type FakeContext, FakeHttpServer, fakeImages, hang, sendJson } from './fake-http.ts';

/**
 * A loopback Stability AI v2beta API: `POST /v2beta/stable-image/generate/{core|ultra|sd3}`
 * (multipart; image bytes for `accept: image/*`, JSON for `accept: application/json`) and
 * `GET /v1/user/balance`. Errors as `{"id","name","errors":[…]}`.
 */
export class FakeStabilityServer extends FakeHttpServer {
  /** How the `content_filter` scenario answers: a blurred 200 (the common case) or a 403. */
  contentFilterStyle: 'finish_reason' | 'moderation_403' = 'finish_reason';

  constructor() {
    super((context) => this.#route(context));
  }

  #route(context: FakeContext) {
    const { request, res } = context;
    if (request.method === 'GET' && request.path === '/v1/user/balance') {
      if (request.headers.authorization !== 'Bearer sk-stability')
        return stabilityError(context, 401, 'unauthorized', 'invalid api key');
      return sendJson(res, 200, { credits: 42.5 });
    }
    const match = /^\/v2beta\/stable-image\/(?:generate\/(core|ultra|sd3)|edit\/inpaint)$/.exec(request.path);
    if (request.method !== 'POST' || !match)
      return stabilityError(context, 404, 'not_found', 'route not found');
    this.#generate(context);
  }

  #generate(context: FakeContext) {
    const { request, res } = context;
    const wantsJson = request.headers.accept === 'application/json';
    const requestId = `stab_${this.requests.length}`;
    const scenario = context.takeScenario();
    if (scenario === 'hang') return hang(this, context);
    if (scenario === 'drop') return drop(context);
    // Stability documents no retry headers; some deployments sit behind proxies that add retry-after.
    if (scenario === 'rate_limit_with_hint') {
      return stabilityError(context, 429, 'rate_limit_exceeded', 'You have exceeded the rate limit', {
        'retry-after': '60',
      });
    }
    if (scenario === 'rate_limit')
      return stabilityError(context, 429, 'rate_limit_exceeded', 'You have exceeded the rate limit');
    if (scenario === 'server_error')
      return stabilityError(context, 500, 'internal_error', 'An unexpected server error occurred');
    if (scenario === 'malformed') {
      res.writeHead(200, {
        'content-type': wantsJson ? 'application/json' : 'image/png',
        'x-request-id': requestId,
      });
      return res.end(wantsJson ? '{"image": "iVBOR' : 'not an image at all');
    }
    if (scenario === 'no_image') {
      if (wantsJson)
        return sendJson(res, 200, { finish_reason: 'SUCCESS', seed: 1 }, { 'x-request-id': requestId });
      res.writeHead(200, {
        'content-type': 'image/png',
        'x-request-id': requestId,
        'finish-reason': 'SUCCESS',
      });
      return res.end();
    }
    if (scenario === 'content_filter' && this.contentFilterStyle === 'moderation_403') {
      return stabilityError(
        context,
        403,
        'content_moderation',
        'Your request was flagged by our content moderation system',
      );
    }
    const form = request.form ?? {};
    const problems: string[] = [];
    if (typeof form.prompt !== 'string' || form.prompt === '') problems.push('prompt: cannot be empty');
    if (
      form.aspect_ratio !== undefined &&
      !['16:9', '1:1', '21:9', '2:3', '3:2', '4:5', '5:4', '9:16', '9:21'].includes(String(form.aspect_ratio))
    ) {
      problems.push('aspect_ratio: must be one of 16:9, 1:1, …');
    }
    if (request.path.endsWith('/edit/inpaint')) {
      // Inpainting: the image is required; the mask is optional (then the image's alpha is used).
      if (typeof form.image !== 'object') problems.push('image: required');
      if (form.aspect_ratio !== undefined) problems.push('aspect_ratio: not accepted by inpaint');
    }
    if (problems.length > 0) return stabilityError(context, 400, 'bad_request', ...problems);

    const askedSeed = Number(form.seed ?? 0);
    const seed = askedSeed === 0 ? 1_234_567_890 : askedSeed;
    const finishReason = scenario === 'content_filter' ? 'CONTENT_FILTERED' : 'SUCCESS';
    const image = fakeImages.make(4, 4, seed % 256);
    if (wantsJson) {
      return sendJson(
        res,
        200,
        { image: Buffer.from(image).toString('base64'), finish_reason: finishReason, seed },
        { 'x-request-id': requestId },
      );
    }
    res.writeHead(200, {
      'content-type': 'image/png',
      'finish-reason': finishReason,
      seed: String(seed),
      'x-request-id': requestId,
    });
    res.end(image);
  }
}

function stabilityError(
  context: FakeContext,
  status: number,
  name: string,
  ...rest: (string | Record<string, string>)[]
) {
  const headers = rest.find((item): item is Record<string, string> => typeof item === 'object') ?? {};
  const errors = rest.filter((item): item is string => typeof item === 'string');
  sendJson(context.res, status, { id: 'a1b2c3', name, errors }, { 'x-request-id': 'stab_error', ...headers });
}
