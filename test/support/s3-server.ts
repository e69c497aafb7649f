import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { S3Client } from '@aws-sdk/client-s3';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import type { S3Settings } from '../../src/config/env.ts';
import { createS3Client } from '../../src/storage/s3-client.ts';

/** One request as it reached the S3 stand-in (headers only; bodies go straight through). */
export interface RecordedS3Request {
  method: string;
  /** Path-style: `/<bucket>/<key>`. */
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
}

/**
 * How the stand-in misbehaves while a fault is on: a reset connection, or an S3 error answer
 * (503 ServiceUnavailable, 403 AccessDenied, 412 PreconditionFailed, 501 NotImplemented).
 */
export type S3Fault = 'reset' | 'unavailable' | 'denied' | 'precondition_failed' | 'not_implemented';

const FAULT_ANSWERS: Record<Exclude<S3Fault, 'reset'>, [number, string, string]> = {
  unavailable: [503, 'ServiceUnavailable', 'Please reduce your request rate.'],
  denied: [403, 'AccessDenied', 'Access Denied'],
  precondition_failed: [
    412,
    'PreconditionFailed',
    'At least one of the pre-conditions you specified did not hold',
  ],
  not_implemented: [
    501,
    'NotImplemented',
    'A header you provided implies functionality that is not implemented',
  ],
};

export interface TestS3 {
  /** The endpoint clients use (the recording proxy in front of fauxqs). */
  endpoint: string;
  bucket: string;
  settings: S3Settings;
  /** The same bucket reached without the recording proxy (benchmarks). */
  directSettings: S3Settings;
  /** The variables a Vitrine process needs to use this bucket. */
  env: Record<string, string>;
  /** A client for the test's own checks; it talks to fauxqs directly, never faulted. */
  client: S3Client;
  requests: RecordedS3Request[];
  /**
   * Faults the requests that `match` selects (all by default) until `clearFault`, or for the next
   * `count` of them.
   */
  fault(mode: S3Fault, options?: { count?: number; match?: (request: RecordedS3Request) => boolean }): void;
  clearFault(): void;
  /** How many requests were faulted so far. */
  faulted(): number;
  stop(): Promise<void>;
}

/**
 * An S3-compatible server for tests: `fauxqs` in this process (multipart, ETags, pagination,
 * presigned URLs), behind a loopback proxy that records the requests Vitrine sends and can fail
 * them on demand (503 ServiceUnavailable in S3's XML, or a reset connection). fauxqs does not
 * check signatures, checksums or conditional writes: the conformance suite covers those against
 * a real endpoint.
 */
export async function startTestS3(options: { bucket?: string; prefix?: string } = {}): Promise<TestS3> {
  const fauxqs: FauxqsServer = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
  const bucket = options.bucket ?? `vitrine-${randomBytes(4).toString('hex')}`;
  fauxqs.createBucket(bucket);
  const upstream = new URL(fauxqs.address);
  const requests: RecordedS3Request[] = [];
  let fault: { mode: S3Fault; remaining: number; match: (request: RecordedS3Request) => boolean } | null =
    null;
  let faultedCount = 0;

  const proxy = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://s3.local');
    const recorded: RecordedS3Request = {
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname),
      query: url.searchParams,
      headers: req.headers,
    };
    requests.push(recorded);
    if (fault && fault.remaining > 0 && fault.match(recorded)) {
      fault.remaining -= 1;
      faultedCount += 1;
      if (fault.mode === 'reset') {
        req.socket.destroy();
        return;
      }
      req.resume();
      const [status, code, message] = FAULT_ANSWERS[fault.mode];
      res.writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': 'FAULT' });
      // HEAD answers carry no body, as S3's do not.
      res.end(
        req.method === 'HEAD'
          ? undefined
          : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>FAULT</RequestId></Error>`,
      );
      return;
    }
    const forwarded = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  proxy.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const prefix = options.prefix ?? '';
  const settings: S3Settings = {
    bucket,
    prefix,
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'test-access-key', secretAccessKey: 'test-secret-key' },
    multipartThresholdBytes: 16 * 1024 * 1024,
  };
  const directSettings = { ...settings, endpoint: fauxqs.address.replace(/\/$/, '') };
  const direct = createS3Client(directSettings);
  return {
    endpoint,
    bucket,
    settings,
    directSettings,
    env: {
      VITRINE_STORAGE: 's3',
      S3_BUCKET: bucket,
      ...(prefix ? { S3_PREFIX: prefix } : {}),
      S3_ENDPOINT: endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test-access-key',
      AWS_SECRET_ACCESS_KEY: 'test-secret-key',
    },
    client: direct,
    requests,
    fault(mode, faultOptions = {}) {
      fault = {
        mode,
        remaining: faultOptions.count ?? Number.POSITIVE_INFINITY,
        match: faultOptions.match ?? (() => true),
      };
    },
    clearFault() {
      fault = null;
    },
    faulted: () => faultedCount,
    async stop() {
      direct.destroy();
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await fauxqs.stop();
    },
  };
}
