import { getLocale, type MessageId, t } from './i18n.ts';

/** A message with `{name}` placeholders filled in: word order differs between English and Chinese. */
export function format(id: MessageId, values: Record<string, string | number>): string {
  return t(id).replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole));
}

/** A date and time in the UI's language (not the browser's), e.g. 2026/11/22 19:02 or 11/22/26, 7:02 PM. */
export function formatDateTime(iso: string): string {
  return new Intl.DateTimeFormat(getLocale() === 'zh' ? 'zh-CN' : 'en', {
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(new Date(iso));
}
