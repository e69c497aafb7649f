import type { MessageId } from './i18n.ts';

/** Size presets for common shop and social placements; "template" keeps the template's own size. */
export const SIZE_PRESETS: ReadonlyArray<{ id: string; label: MessageId; width?: number; height?: number }> =
  [
    { id: 'template', label: 'size.template' },
    { id: 'square', label: 'size.square', width: 1024, height: 1024 },
    { id: 'portrait', label: 'size.portrait', width: 1080, height: 1350 },
    { id: 'story', label: 'size.story', width: 1080, height: 1920 },
    { id: 'landscape', label: 'size.landscape', width: 1920, height: 1080 },
    { id: 'small', label: 'size.small', width: 800, height: 800 },
  ];

export const COUNTS = [1, 2, 4, 9] as const;
