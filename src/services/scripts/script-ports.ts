import { AppError } from '../../domain/errors.ts';
import type { ChatService } from '../chat/chat.service.ts';
import type { ProductService } from '../products/product.service.ts';
import type { ScriptChat, ScriptProductCatalog } from './script-analysis.service.ts';

/**
 * The two ports the script analysis needs, over the services the assistant brought: the products
 * catalog (names to match segments against, photos for the layouts) and the chat model (metered
 * and budgeted like every other chat call, recorded with the purpose `script`).
 */

/** The catalog through the product service; an unknown SKU in `list(skus)` is a 404 naming it. */
export function scriptCatalogOf(products: Pick<ProductService, 'names' | 'findMany'>): ScriptProductCatalog {
  return {
    async list(skus) {
      const names = await products.names();
      if (!skus || skus.length === 0) return names;
      const bySku = new Map(names.map((entry) => [entry.sku, entry]));
      const missing = skus.find((sku) => !bySku.has(sku));
      if (missing !== undefined) {
        throw new AppError('not_found', `Product '${missing}' was not found in the products catalog`, {
          details: { issues: [{ field: 'products', message: `no product has the SKU '${missing}'` }] },
        });
      }
      return [...new Set(skus)].map((sku) => bySku.get(sku)!);
    },
    async photos(skus) {
      const found = await products.findMany(skus);
      return new Map(
        found.flatMap((product) => (product.images[0] ? [[product.sku, product.images[0]] as const] : [])),
      );
    },
  };
}

/** The configured chat model for scripts, or null when there is none (the analysis stays offline). */
export function scriptChatOf(chat: Pick<ChatService, 'model' | 'complete'>): ScriptChat | null {
  const model = chat.model;
  if (!model) return null;
  return {
    model: model.model,
    forCaller: (caller) => ({
      id: model.id,
      kind: model.kind,
      model: model.model,
      complete: (request, signal) =>
        chat.complete(request, { apiKeyId: caller.apiKeyId, purpose: 'script' }, signal),
    }),
  };
}
