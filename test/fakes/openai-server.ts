import {
  drop,
  type FakeContext,
  FakeHttpServer,
  fakeImages,
  hang,
  makePng,
  type RecordedFile,
  sendJson,
} from './fake-http.ts';

/** Width and height of a PNG from its IHDR chunk; null when the bytes are no PNG. */
function pngDimensions(bytes: Uint8Array): [number, number] | null {
  if (bytes.length < 24 || bytes[0] !== 0x89 || bytes[1] !== 0x50) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return [view.getUint32(16), view.getUint32(20)];
}

/**
 * A loopback OpenAI Images API: `/v1/images/generations` (JSON), `/v1/images/edits` (multipart),
 * `/v1/models`, and `/files/*` for `url` answers. Errors in OpenAI's `{"error":{…}}` shape.
 */
export class FakeOpenAIServer extends FakeHttpServer {
  /** Answer `data[].url` (dall-e style) instead of `b64_json`. */
  answerWithUrls = false;
  /** Answer 429 `insufficient_quota` on the next generation. */
  quotaExhausted = false;
  /**
   * The image of each answer, from the request's `size`; default a 4×4 one-shade PNG. End-to-end
   * tests give a textured image of the size, as a real model answers, so it passes Vitrine's checks.
   */
  makeImage: (size: string, index: number) => Uint8Array = (_size, index) =>
    fakeImages.make(4, 4, 10 + index);

  constructor() {
    super((context) => this.#route(context));
  }

  #route(context: FakeContext) {
    const { request, res } = context;
    if (request.method === 'GET' && request.path === '/v1/models') {
      if (request.headers.authorization !== 'Bearer sk-test')
        return openaiError(context, 401, 'invalid_api_key', 'Incorrect API key provided');
      return sendJson(res, 200, { object: 'list', data: [{ id: 'gpt-image-1', object: 'model' }] });
    }
    if (request.method === 'GET' && request.path.startsWith('/files/')) {
      res.writeHead(200, { 'content-type': 'image/png' });
      return res.end(makePng(4, 4, Number(request.path.split('/').pop())));
    }
    if (
      request.method === 'POST' &&
      (request.path === '/v1/images/generations' || request.path === '/v1/images/edits')
    ) {
      return this.#images(context);
    }
    sendJson(res, 404, { error: { message: 'Unknown route', type: 'invalid_request_error', code: null } });
  }

  #images(context: FakeContext) {
    const { request, res } = context;
    const scenario = context.takeScenario();
    const requestId = `req_${this.requests.length}`;
    if (scenario === 'hang') return hang(this, context);
    if (scenario === 'drop') return drop(context);
    if (scenario === 'rate_limit_with_hint') {
      return openaiError(
        context,
        429,
        'rate_limit_exceeded',
        'Rate limit reached for gpt-image-1. Please try again in 1.5s.',
        {
          'x-ratelimit-remaining-requests': '0',
          'x-ratelimit-reset-requests': '1.5s',
        },
      );
    }
    if (scenario === 'rate_limit')
      return openaiError(context, 429, 'rate_limit_exceeded', 'Rate limit reached for gpt-image-1.');
    if (this.quotaExhausted)
      return openaiError(context, 429, 'insufficient_quota', 'You exceeded your current quota');
    if (scenario === 'content_filter') {
      return openaiError(
        context,
        400,
        'moderation_blocked',
        'Your request was rejected by the safety system.',
      );
    }
    if (scenario === 'server_error')
      return openaiError(context, 500, null, 'The server had an error processing your request.');
    if (scenario === 'malformed')
      return sendJson(res, 200, '{"created": 1713833628, "data": [', { 'x-request-id': requestId });
    if (scenario === 'no_image')
      return sendJson(res, 200, { created: 1713833628, data: [] }, { 'x-request-id': requestId });

    const fields = (request.json ?? request.form ?? {}) as Record<string, unknown>;
    if (typeof fields.prompt !== 'string' || fields.prompt === '') {
      return openaiError(context, 400, null, "Missing required parameter: 'prompt'.", {}, 'prompt');
    }
    if (request.path === '/v1/images/edits') {
      // As OpenAI: the image is required, and a mask must be a PNG of the image's size.
      const image = fields.image as RecordedFile | undefined;
      const mask = fields.mask as RecordedFile | undefined;
      if (!image || typeof image !== 'object')
        return openaiError(context, 400, null, "Missing required parameter: 'image'.", {}, 'image');
      if (mask && typeof mask === 'object') {
        const [imageSize, maskSize] = [pngDimensions(image.bytes), pngDimensions(mask.bytes)];
        if (!maskSize || !imageSize || maskSize.join('x') !== imageSize.join('x')) {
          return openaiError(
            context,
            400,
            'invalid_image_format',
            'Invalid mask image format - mask size does not match image size',
            {},
            'mask',
          );
        }
      }
    }
    const count = Number(fields.n ?? 1);
    const data = Array.from({ length: count }, (_, index) =>
      this.answerWithUrls
        ? { url: `${this.url}/files/${10 + index}`, revised_prompt: fields.prompt }
        : { b64_json: Buffer.from(this.makeImage(String(fields.size ?? 'auto'), index)).toString('base64') },
    );
    sendJson(
      res,
      200,
      { created: 1713833628, data, usage: { input_tokens: 50, output_tokens: 50, total_tokens: 100 } },
      { 'x-request-id': requestId },
    );
  }
}

function openaiError(
  context: FakeContext,
  status: number,
  code: string | null,
  message: string,
  headers: Record<string, string> = {},
  param: string | null = null,
) {
  const type =
    status === 429
      ? code === 'insufficient_quota'
        ? 'insufficient_quota'
        : 'requests'
      : 'invalid_request_error';
  sendJson(
    context.res,
    status,
    { error: { message, type, param, code } },
    { 'x-request-id': 'req_error', ...headers },
  );
}
