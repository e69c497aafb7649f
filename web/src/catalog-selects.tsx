import type { Brand, Provider, Template } from './api.ts';
import { getLocale } from './i18n.ts';
import { templateTitle } from './template-labels.ts';

/** The selects for a template, a brand and a provider, as the Generate and Batches screens offer them. */

interface SelectProps {
  id: string;
  value: string;
  onChange(value: string): void;
}

export function TemplateSelect(props: SelectProps & { templates: Template[] }) {
  return (
    <select id={props.id} value={props.value} onChange={(event) => props.onChange(event.currentTarget.value)}>
      {props.templates.map((candidate) => (
        <option key={candidate.name} value={candidate.name}>
          {templateTitle(candidate.name, getLocale())}
        </option>
      ))}
    </select>
  );
}

/** A brand, or none (`''`: the default brand) under `noneLabel`. */
export function BrandSelect(props: SelectProps & { brands: Brand[]; noneLabel: string }) {
  return (
    <select id={props.id} value={props.value} onChange={(event) => props.onChange(event.currentTarget.value)}>
      <option value="">{props.noneLabel}</option>
      {props.brands.map((candidate) => (
        <option key={candidate.slug} value={candidate.slug}>
          {candidate.name ?? candidate.slug}
        </option>
      ))}
    </select>
  );
}

/** A provider, or `''` for the routing rules under `autoLabel`; unavailable ones are shown but disabled. */
export function ProviderSelect(props: SelectProps & { providers: Provider[]; autoLabel: string }) {
  return (
    <select id={props.id} value={props.value} onChange={(event) => props.onChange(event.currentTarget.value)}>
      <option value="">{props.autoLabel}</option>
      {props.providers.map((candidate) => (
        <option key={candidate.id} value={candidate.id} disabled={candidate.available === false}>
          {candidate.id}
        </option>
      ))}
    </select>
  );
}
