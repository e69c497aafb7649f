import { CustomerRepository, ProductRepository } from '../../db/product.repository.ts';
import type { ServiceDeps } from '../deps.ts';
import { ProductService } from './product.service.ts';
import { ProductImportService } from './product-import.service.ts';

export interface ProductsCapability {
  /** The products catalog (size charts, fit), customers and purchases. */
  products: ProductService;
  productImports: ProductImportService;
}

/** The assistant's catalog; scripts look products up through `products.lookup`. */
export function wireProducts(deps: Pick<ServiceDeps, 'db' | 'limits'>): ProductsCapability {
  const products = new ProductService({
    db: deps.db,
    products: new ProductRepository(),
    customers: new CustomerRepository(),
    allowPrivateUrls: deps.limits.allowPrivateUrls,
  });
  return { products, productImports: new ProductImportService(products) };
}
