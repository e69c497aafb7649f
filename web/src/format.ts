import { type MessageId, t } from './i18n.ts';

/** A message with `{name}` placeholders filled in: word order differs between English and Chinese. */
export function format(id: MessageId, values: Record<string, string | number>): string {
  return t(id).replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole));
}
