import type { HTMLAttributes, JSX } from 'preact';

/** A job warning as both the studio's and the picker's API types describe it. */
export interface ShownWarning {
  code: string;
  message: string;
  level?: string;
}

/** The warnings that ask for attention (level `warning`, the default); notes are left out. */
export function attentionWarnings<W extends ShownWarning>(warnings: readonly W[] | undefined): W[] {
  return (warnings ?? []).filter((warning) => (warning.level ?? 'warning') === 'warning');
}

/**
 * The job's warnings under a heading, or nothing when none asks for attention. The studio and the
 * picker differ only in the wrapper (class, role, how the heading names the list).
 */
export function WarningList(props: {
  warnings: readonly ShownWarning[] | undefined;
  heading: JSX.Element;
  wrapper: HTMLAttributes<HTMLDivElement>;
}) {
  const shown = attentionWarnings(props.warnings);
  if (shown.length === 0) return null;
  return (
    <div {...props.wrapper}>
      {props.heading}
      <ul>
        {shown.map((warning, index) => (
          <li key={`${warning.code}-${index}`} data-code={warning.code}>
            {warning.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
