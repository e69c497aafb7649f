/**
 * A dependency the process cannot start without (object storage, …) did not answer at start. The
 * CLI prints the message and exits 1, without a stack trace: the fix is in the environment.
 */
export class StartupError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'StartupError';
  }
}
