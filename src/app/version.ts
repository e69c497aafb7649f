import { createRequire } from 'node:module';

/** Vitrine's version, from package.json (shown by the CLI and in worker heartbeats). */
export const VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string })
  .version;
