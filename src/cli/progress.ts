/**
 * A one-line progress display on stderr, only when stderr is a terminal (and not with --json):
 * pipes and CI logs get no carriage-return noise.
 */
export function createProgressLine(options: { enabled: boolean; label: string }) {
  const enabled = options.enabled && Boolean(process.stderr.isTTY);
  const started = Date.now();
  let last = '';
  const draw = (fraction: number, status: string) => {
    if (!enabled) return;
    const width = 24;
    const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const line = `${options.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(fraction * 100)}% ${status} ${seconds}s`;
    if (line === last) return;
    last = line;
    process.stderr.write(`\r${line}\x1b[K`);
  };
  return {
    update: draw,
    finish() {
      if (enabled && last) process.stderr.write('\n');
    },
  };
}
