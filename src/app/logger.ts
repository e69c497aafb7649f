import { pino } from 'pino';

export type Logger = pino.Logger;

/** JSON lines on stderr, so stdout stays for what a command prints (keys, links, --json results). */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'vitrine' } }, pino.destination(2));
}
