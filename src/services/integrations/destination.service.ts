import { randomUUID } from 'node:crypto';
import type {
  DestinationKind,
  DestinationRecord,
  DestinationRepository,
} from '../../db/destination.repository.ts';
import type { ShopifyRepository } from '../../db/shopify.repository.ts';
import { AppError, type FieldIssue, invalidRequest, notFound } from '../../domain/errors.ts';
import { MissingPlaceholderError, placeholdersOf, renderTemplate } from '../../domain/publish-template.ts';
import { fetchableUrlIssue } from '../../net/url-guard.ts';
import type { ServiceDeps } from '../deps.ts';
import type { SecretBox } from './secret-box.ts';

type Deps = Pick<ServiceDeps, 'db' | 'limits'> & {
  destinations: DestinationRepository;
  shopify: ShopifyRepository;
  secrets: SecretBox;
  /** The kinds this server can publish to. */
  kinds: ReadonlySet<DestinationKind>;
};

/** A CMS call: method, URL and JSON body templated from the row and its images. */
export interface HttpDestinationConfig {
  method: 'POST' | 'PUT' | 'PATCH';
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** The header that carries the stored secret (default `Authorization`). */
  auth_header?: string;
}

/** A copy of each image to a customer's bucket (S3-compatible) under a key pattern. */
export interface BucketDestinationConfig {
  bucket: string;
  key_pattern: string;
  region?: string;
  endpoint?: string;
  force_path_style?: boolean;
  access_key_id?: string;
  cache_control?: string;
}

export interface DestinationInput {
  name: string;
  kind: DestinationKind;
  http?: HttpDestinationConfig;
  bucket?: BucketDestinationConfig;
  /** The auth header's value (http) or the secret access key (bucket); write-only. */
  secret?: string | null;
}

/** Placeholders every row can fill, besides its own columns. */
const ROW_PLACEHOLDERS = { key: 'K', line: 1, batch_id: 'b', job_id: 'j', template: 't', brand: 'b', n: 1 };
const SECRET_PURPOSE = 'destination.secret';

/** `/v1/destinations`: where batches publish their rows; secrets sealed at rest, never shown. */
export class DestinationService {
  readonly #deps: Deps;

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  async create(input: DestinationInput): Promise<DestinationRecord> {
    if (!this.#deps.kinds.has(input.kind))
      throw new AppError('unprocessable', `This server cannot publish to ${input.kind} destinations yet`, {
        details: { issues: [{ field: 'kind', message: `available: ${[...this.#deps.kinds].join(', ')}` }] },
      });
    const config = checkConfig(input, this.#deps.limits.allowPrivateUrls);
    const { db, destinations, secrets } = this.#deps;
    if (await destinations.find(db, input.name))
      throw new AppError('conflict', `A destination is already named '${input.name}'`);
    return destinations.insert(db, {
      id: `dst_${randomUUID().replaceAll('-', '').slice(0, 16)}`,
      name: input.name,
      kind: input.kind,
      config,
      secret: input.secret ? secrets.seal(input.secret, SECRET_PURPOSE) : null,
    });
  }

  list(): Promise<DestinationRecord[]> {
    return this.#deps.destinations.list(this.#deps.db);
  }

  async get(idOrName: string): Promise<DestinationRecord> {
    const found = await this.#deps.destinations.find(this.#deps.db, idOrName);
    if (!found) throw notFound('Destination', idOrName);
    return found;
  }

  async update(idOrName: string, input: Partial<DestinationInput>): Promise<DestinationRecord> {
    const current = await this.get(idOrName);
    const merged: DestinationInput = {
      name: input.name ?? current.name,
      kind: current.kind,
      [current.kind]: input[current.kind] ?? current.config,
    };
    const config = checkConfig(merged, this.#deps.limits.allowPrivateUrls);
    const { db, destinations, secrets } = this.#deps;
    const updated = await destinations.update(db, current.id, {
      name: input.name,
      config,
      secret:
        input.secret === undefined
          ? undefined
          : input.secret
            ? secrets.seal(input.secret, SECRET_PURPOSE)
            : null,
    });
    return updated!;
  }

  async delete(idOrName: string): Promise<void> {
    const current = await this.get(idOrName);
    await this.#deps.destinations.delete(this.#deps.db, current.id);
  }

  openSecret(record: DestinationRecord): string | null {
    return record.secret ? this.#deps.secrets.open(record.secret, SECRET_PURPOSE) : null;
  }

  /** A batch's `destinations`: ids or names → ids; `shopify` needs a connected shop. */
  async resolve(idsOrNames: readonly string[]): Promise<string[]> {
    const ids: string[] = [];
    const issues: FieldIssue[] = [];
    for (const [index, name] of idsOrNames.entries()) {
      if (name === 'shopify') {
        if (await this.#deps.shopify.getConnection(this.#deps.db)) ids.push('shopify');
        else issues.push({ field: `destinations.${index}`, message: 'no Shopify shop is connected' });
        continue;
      }
      const found = await this.#deps.destinations.find(this.#deps.db, name);
      if (found) ids.push(found.id);
      else issues.push({ field: `destinations.${index}`, message: `no destination '${name}'` });
    }
    if (issues.length > 0) throw invalidRequest('Unknown publish destinations', issues);
    return [...new Set(ids)];
  }
}

/** The settings checked; a URL on a private address (a literal) is refused here, not at publish time. */
function checkConfig(input: DestinationInput, allowPrivate: boolean): Record<string, unknown> {
  const issues: FieldIssue[] = [];
  if (input.kind === 'http') {
    const http = input.http;
    if (!http)
      throw invalidRequest('An http destination needs its `http` settings', [
        { field: 'http', message: 'required' },
      ]);
    try {
      // With every placeholder filled by a sample, the URL must be an absolute http(s) URL.
      const sample = Object.fromEntries(placeholdersOf(http.url).map((name) => [name.split('.')[0], 'x']));
      const url = new URL(
        renderTemplate(http.url.replaceAll(/\{\{[^}]*\}\}/g, 'x'), { ...ROW_PLACEHOLDERS, ...sample }),
      );
      if (url.protocol !== 'https:' && url.protocol !== 'http:')
        issues.push({ field: 'http.url', message: 'must be http(s)' });
      else {
        const issue = fetchableUrlIssue(url.href, 'http.url', allowPrivate);
        if (issue) issues.push(issue);
      }
    } catch (error) {
      issues.push({
        field: 'http.url',
        message: error instanceof MissingPlaceholderError ? error.message : 'is not a URL',
      });
    }
    if (http.auth_header && !/^[A-Za-z0-9-]+$/.test(http.auth_header))
      issues.push({ field: 'http.auth_header', message: 'must be a header name' });
    if (issues.length > 0) throw invalidRequest('The destination is not valid', issues);
    return { ...http };
  }
  const bucket = input.bucket;
  if (!bucket)
    throw invalidRequest('A bucket destination needs its `bucket` settings', [
      { field: 'bucket', message: 'required' },
    ]);
  if (bucket.endpoint) {
    const issue = fetchableUrlIssue(bucket.endpoint, 'bucket.endpoint', allowPrivate);
    if (issue) issues.push(issue);
  }
  if (placeholdersOf(bucket.key_pattern).length === 0)
    issues.push({
      field: 'bucket.key_pattern',
      message: 'needs a placeholder, e.g. {{key}}/{{template}}-{{n}}.jpg',
    });
  if (issues.length > 0) throw invalidRequest('The destination is not valid', issues);
  return { ...bucket };
}

/** The destination as the API shows it: its settings and whether a secret is stored, never the secret. */
export function presentDestination(record: DestinationRecord) {
  return {
    id: record.id,
    name: record.name,
    kind: record.kind,
    [record.kind]: record.config,
    has_secret: record.secret !== null,
    created_at: record.created_at.toISOString(),
    updated_at: record.updated_at.toISOString(),
  };
}
