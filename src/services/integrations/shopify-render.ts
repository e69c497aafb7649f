import type { Template } from '../../domain/template.ts';
import { formatPrice, type ProductInputs } from '../../integrations/shopify/shopify-product.ts';
import type { ServiceDeps } from '../deps.ts';

/**
 * A template's params from a product: `title`, `price` (the first variant's, in the shop's
 * currency), `subtitle` (the product type) and `product_image` (the product's own photo). Only
 * params the template declares are filled, so user templates with other params still render.
 */
export function paramsForProduct(
  template: Pick<Template, 'params'>,
  inputs: ProductInputs,
  currencyCode: string | null,
): Record<string, string> {
  const declared = new Set(template.params.map((param) => param.name));
  const limit = (name: string, value: string) => {
    const max = template.params.find((param) => param.name === name)?.max_length;
    return max && value.length > max ? `${value.slice(0, max - 1)}…` : value;
  };
  const candidates: Record<string, string | undefined> = {
    title: inputs.title,
    price: formatPrice(inputs.price, currencyCode),
    subtitle: inputs.productType || undefined,
    product_image: inputs.imageUrl ?? undefined,
  };
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(candidates)) {
    if (value && declared.has(name)) params[name] = limit(name, value);
  }
  return params;
}

/** Each configured template, or an error naming the one that is gone. */
export async function loadTemplates(
  deps: Pick<ServiceDeps, 'db' | 'templates'>,
  names: readonly string[],
): Promise<Template[]> {
  const found: Template[] = [];
  for (const name of names) {
    const template = await deps.templates.find(deps.db, name);
    if (!template) throw new Error(`The template '${name}' of the Shopify connection no longer exists`);
    found.push(template as Template);
  }
  return found;
}
