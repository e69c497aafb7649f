/**
 * Copies text. The clipboard API exists only in secure contexts (HTTPS or localhost); elsewhere, e.g.
 * http:// on a LAN address, the browser's prompt shows the text selected for copying. Answers whether
 * the text went to the clipboard itself.
 */
export async function copyText(text: string, promptTitle: string): Promise<boolean> {
  if (!navigator.clipboard) {
    window.prompt(promptTitle, text);
    return false;
  }
  await navigator.clipboard.writeText(text);
  return true;
}

/** A signed image URL made absolute, so it can be shared and opened from anywhere. */
export function absoluteUrl(url: string): string {
  return new URL(url, location.origin).toString();
}
