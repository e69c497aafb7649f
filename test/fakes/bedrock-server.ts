import { drop, type FakeContext, FakeHttpServer, fakeImages, hang, sendJson } from './fake-http.ts';

/**
 * A loopback Bedrock Runtime: `POST /model/{modelId}/invoke` with the JSON bodies of Stability,
 * Titan Image and Nova Canvas models. Errors as the restJson1 protocol sends them: the exception
 * name in `X-Amzn-ErrorType` (with the `:http://…` suffix real responses carry) and `{"message"}`,
 * which the AWS SDK turns into named exceptions.
 */
export class FakeBedrockServer extends FakeHttpServer {
  constructor() {
    // Speaks h2c: the Bedrock Runtime client's default handler is HTTP/2, as against AWS itself.
    super((context) => this.#route(context), { http2: true });
  }

  #route(context: FakeContext) {
    const { request } = context;
    const match = /^\/model\/([^/]+)\/invoke$/.exec(request.path);
    if (request.method !== 'POST' || !match) {
      return awsError(context, 404, 'UnknownOperationException', 'Unknown operation');
    }
    if (!String(request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 Credential=AKIDTEST/')) {
      return awsError(
        context,
        403,
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    }
    this.#invoke(context, decodeURIComponent(match[1] ?? ''));
  }

  #invoke(context: FakeContext, modelId: string) {
    const { res } = context;
    const body = (context.request.json ?? {}) as Record<string, unknown>;
    const requestId = `aws-${this.requests.length}`;
    const isStability = modelId.startsWith('stability.');
    if (Object.keys(body).length === 0) {
      return awsError(
        context,
        400,
        'ValidationException',
        'Malformed input request: required key [prompt] not found',
      );
    }
    const scenario = context.takeScenario();
    if (scenario === 'hang') return hang(this, context);
    if (scenario === 'drop') return drop(context);
    if (scenario === 'rate_limit_with_hint') {
      return awsError(
        context,
        429,
        'ThrottlingException',
        'Too many requests, please wait before trying again.',
        { 'retry-after': '3' },
      );
    }
    if (scenario === 'rate_limit')
      return awsError(
        context,
        429,
        'ThrottlingException',
        'Too many requests, please wait before trying again.',
      );
    if (scenario === 'server_error')
      return awsError(context, 500, 'InternalServerException', 'The server encountered an internal error.');
    if (scenario === 'content_filter') {
      if (isStability)
        return sendJson(
          res,
          200,
          { seeds: [1], finish_reasons: ['Filter reason: prompt'], images: [] },
          { 'x-amzn-requestid': requestId },
        );
      return awsError(
        context,
        400,
        'ValidationException',
        'This request has been blocked by our content filters. Please adjust your text prompt to submit a new request.',
      );
    }
    if (scenario === 'malformed')
      return sendJson(res, 200, '{"images": ["iVBOR', { 'x-amzn-requestid': requestId });
    if (scenario === 'no_image')
      return sendJson(
        res,
        200,
        isStability ? { seeds: [], finish_reasons: [], images: [] } : { images: [], error: null },
        { 'x-amzn-requestid': requestId },
      );

    if (isStability) {
      const seed = Number(body.seed ?? 0) || 987_654;
      return sendJson(
        res,
        200,
        {
          seeds: [seed],
          finish_reasons: [null],
          images: [Buffer.from(fakeImages.make(4, 4, seed % 256)).toString('base64')],
        },
        { 'x-amzn-requestid': requestId },
      );
    }
    const config = (body.imageGenerationConfig ?? {}) as Record<string, number>;
    const text = (body.textToImageParams as { text?: string } | undefined)?.text ?? '';
    if (text.length < 1 || text.length > 1024) {
      return awsError(context, 400, 'ValidationException', 'text must be between 1 and 1024 characters');
    }
    const images = Array.from({ length: config.numberOfImages ?? 1 }, (_, index) =>
      Buffer.from(fakeImages.make(4, 4, (index * 40) % 256)).toString('base64'),
    );
    sendJson(res, 200, { images, error: null }, { 'x-amzn-requestid': requestId });
  }
}

/** An error as the restJson1 protocol sends it (shared with the Converse fake). */
export function awsError(
  context: FakeContext,
  status: number,
  name: string,
  message: string,
  headers: Record<string, string> = {},
) {
  sendJson(
    context.res,
    status,
    { message },
    {
      'x-amzn-errortype': `${name}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
      'x-amzn-requestid': 'aws-error',
      ...headers,
    },
  );
}
