import type { ComponentType } from 'preact';
import { AssistantPage } from './assistant-page.tsx';
import { BatchesPage } from './batches-page.tsx';
import { BrandsPage } from './brands-page.tsx';
import { GeneratePage } from './generate-page.tsx';
import { HistoryPage } from './history-page.tsx';
import type { MessageId } from './i18n.ts';
import { ScriptsPage } from './scripts-page.tsx';

/** The studio's screens, in navigation order. The server answers each path with index.html. */
export const ROUTES: ReadonlyArray<{ path: string; label: MessageId; page: ComponentType }> = [
  { path: '/', label: 'nav.generate', page: GeneratePage },
  { path: '/batches', label: 'nav.batches', page: BatchesPage },
  { path: '/scripts', label: 'nav.scripts', page: ScriptsPage },
  { path: '/brands', label: 'nav.brands', page: BrandsPage },
  { path: '/history', label: 'nav.history', page: HistoryPage },
  { path: '/assistant', label: 'nav.assistant', page: AssistantPage },
];

/** Client-side navigation between the studio's pages. */
export function navigate(path: string): void {
  if (location.pathname !== path) history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}
