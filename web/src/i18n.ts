/**
 * UI strings in English and Simplified Chinese; the browser's language picks one, the user may
 * switch. Each screen keeps its strings in its own file under messages/, merged here.
 */
import { type Locale, paramLabel as labelFor } from './labels.ts';
import * as brands from './messages/brands.ts';

export type { Locale };

import * as assistantStudio from './messages/assistant-studio.ts';
import * as batches from './messages/batches.ts';
import * as common from './messages/common.ts';
import * as design from './messages/design.ts';
import * as history from './messages/history.ts';
import * as scripts from './messages/scripts.ts';

const en = {
  ...common.en,
  ...batches.en,
  ...brands.en,
  ...history.en,
  ...design.en,
  ...assistantStudio.en,
  ...scripts.en,
};
const zh: Record<MessageId, string> = {
  ...common.zh,
  ...batches.zh,
  ...brands.zh,
  ...history.zh,
  ...design.zh,
  ...assistantStudio.zh,
  ...scripts.zh,
};

export type MessageId = keyof typeof en;

const STORAGE_KEY = 'vitrine.locale';

function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'en' || saved === 'zh') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

let current: Locale = initialLocale();
applyDocumentLanguage(current);

/** Screen readers and CJK line breaking follow the page's `lang`, so it tracks the UI language. */
function applyDocumentLanguage(value: Locale): void {
  document.documentElement.lang = value === 'zh' ? 'zh-CN' : 'en';
}
const listeners = new Set<(next: Locale) => void>();

export function getLocale(): Locale {
  return current;
}

/** The app root subscribes and re-renders the whole tree, so every `t()` call sees the new language. */
export function onLocaleChange(listener: (next: Locale) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function setLocale(next: Locale): void {
  // Only the language choice is kept in localStorage; the session lives in an HttpOnly cookie.
  localStorage.setItem(STORAGE_KEY, next);
  current = next;
  applyDocumentLanguage(next);
  for (const listener of listeners) listener(next);
}

export function t(id: MessageId): string {
  return current === 'zh' ? zh[id] : en[id];
}

/** A template param's label in the UI language (see labels.ts). */
export function paramLabel(name: string): string {
  return labelFor(name, current);
}
