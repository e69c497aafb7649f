import { canonicalMeasurement } from '../../domain/product.ts';

/**
 * Turns a row of a product CSV (header → cell text) into the JSON shape of `POST /v1/products`, so
 * one schema checks both. Headers may be English or Chinese (货号, 名称, 版型, 尺码表…); a size
 * chart cell is JSON or the compact form `S: chest=100 length=68; M: chest=104 length=70`
 * (`M 胸围104 衣长70` works too). Cells that cannot be read are kept as text so the schema names them.
 */

const COLUMN_NAMES: Record<string, string> = {
  sku: 'sku',
  货号: 'sku',
  商品编号: 'sku',
  款号: 'sku',
  name: 'name',
  title: 'name',
  名称: 'name',
  商品名称: 'name',
  品名: 'name',
  category: 'category',
  类目: 'category',
  品类: 'category',
  分类: 'category',
  fit: 'fit',
  版型: 'fit',
  notes: 'notes',
  note: 'notes',
  备注: 'notes',
  说明: 'notes',
  images: 'images',
  image: 'images',
  image_url: 'images',
  图片: 'images',
  size_chart: 'size_chart',
  sizes: 'size_chart',
  尺码表: 'size_chart',
  尺码: 'size_chart',
  price: 'price',
  价格: 'price',
  售价: 'price',
  currency: 'currency',
  币种: 'currency',
  stock: 'stock',
  库存: 'stock',
  attributes: 'attributes',
};

/** Columns that are attributes under a canonical name. */
const ATTRIBUTE_COLUMNS: Record<string, string> = {
  color: 'color',
  colour: 'color',
  颜色: 'color',
  material: 'material',
  材质: 'material',
  面料: 'material',
  care: 'care',
  洗涤: 'care',
  season: 'season',
  季节: 'season',
  brand: 'brand',
  品牌: 'brand',
};

export function productFromCsvFields(fields: Readonly<Record<string, string>>): Record<string, unknown> {
  const product: Record<string, unknown> = {};
  const attributes: Record<string, string> = {};
  for (const [header, raw] of Object.entries(fields)) {
    const value = raw.trim();
    const key = header.trim().toLowerCase();
    if (value === '') continue;
    const attribute = ATTRIBUTE_COLUMNS[key] ?? /^(?:attr|attribute)[_.:](.+)$/.exec(key)?.[1];
    if (attribute) {
      attributes[attribute] = value;
      continue;
    }
    const column = COLUMN_NAMES[key];
    if (!column) continue;
    if (column === 'images') product.images = value.split(/\s*[|\n]\s*|\s+/).filter(Boolean);
    else if (column === 'size_chart') product.size_chart = parseSizeChartCell(value);
    else if (column === 'price') product.price = numberOrText(value.replace(/^[¥$€£]|元$/g, ''));
    else if (column === 'stock') product.stock = numberOrText(value);
    else if (column === 'attributes') product.attributes = jsonOrText(value);
    else product[column] = value;
  }
  if (Object.keys(attributes).length > 0) {
    product.attributes = {
      ...(typeof product.attributes === 'object' ? (product.attributes as object) : {}),
      ...attributes,
    };
  }
  return product;
}

/** JSON object, or the compact `SIZE: name=value …; SIZE: …` form; unreadable text stays text. */
export function parseSizeChartCell(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return jsonOrText(trimmed);
  const chart: Record<string, Record<string, number>> = {};
  for (const segment of trimmed.split(/\s*[;；|\n]\s*/).filter(Boolean)) {
    const match = /^([^\s:：=]+)\s*[:：]?\s*(.*)$/.exec(segment);
    if (!match) return text;
    const measurements: Record<string, number> = {};
    for (const pair of match[2]!.matchAll(/([^\s=:：,，\d.]+)\s*[=:：]?\s*(\d+(?:\.\d+)?)\s*(?:cm)?/gi)) {
      measurements[canonicalMeasurement(pair[1]!)] = Number(pair[2]);
    }
    if (Object.keys(measurements).length === 0) return text;
    chart[match[1]!] = measurements;
  }
  return Object.keys(chart).length > 0 ? chart : text;
}

function numberOrText(value: string): number | string {
  const number = Number(value.replace(/,/g, ''));
  return value !== '' && Number.isFinite(number) ? number : value;
}

function jsonOrText(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
