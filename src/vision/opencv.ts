import { createRequire } from 'node:module';

/** The OpenCV.js module (WebAssembly inside the npm package `@techstark/opencv-js`). */
export type OpenCv = typeof import('@techstark/opencv-js');

/** Held in a plain object: a promise can never resolve to the module itself (see below). */
export interface LoadedOpenCv {
  cv: OpenCv;
}

let loading: Promise<LoadedOpenCv> | undefined;

/**
 * OpenCV, compiled once per process and shared. The package's module object is a thenable whose
 * `then` never settles in Node, so it must never be awaited, handed to `resolve()` or returned from
 * an async function or a `then` callback: we wait until its runtime has put `cv.Mat` in place and
 * hand it out inside a plain object — `const { cv } = await loadOpenCv()`. Start-up is about
 * 0.5–1.5 s; call `loadOpenCv()` early (e.g. when a worker starts) to hide it.
 */
export function loadOpenCv(options: { timeoutMs?: number } = {}): Promise<LoadedOpenCv> {
  loading ??= new Promise<LoadedOpenCv>((resolve, reject) => {
    const require = createRequire(import.meta.url);
    const cv = require('@techstark/opencv-js') as OpenCv;
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    const check = () => {
      if (typeof cv.Mat === 'function') resolve({ cv });
      else if (Date.now() > deadline) reject(new Error('OpenCV (WebAssembly) did not initialize in time'));
      else setTimeout(check, 5);
    };
    check();
  }).catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
