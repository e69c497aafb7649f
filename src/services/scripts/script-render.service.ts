import { type BatchRecord, type BatchRow, fileStemForKey } from '../../domain/batch.ts';
import { invalidRequest } from '../../domain/errors.ts';
import type { ScriptSegment } from '../../domain/script/script-analysis.ts';
import type { BatchImportService } from '../batches/batch-import.service.ts';
import type { Caller } from '../generation/generation.service.ts';
import type {
  AnalyzerChoice,
  ScriptAnalysisService,
  ScriptEdit,
  StoredScript,
} from './script-analysis.service.ts';

/** `POST /v1/scripts/render`: a stored, edited or new analysis → its storyboard as one urgent batch. */
export interface RenderRequest {
  /** A stored analysis (from analyze); with `segments` etc. its edits are saved first. */
  script_id?: string;
  /** Or a script to analyse and render at once. */
  text?: string;
  analyzer?: AnalyzerChoice;
  brand?: string;
  title?: string;
  n?: number;
  visuals?: ScriptEdit['visuals'];
  segments?: ScriptEdit['segments'];
  products?: string[];
  product_images?: Record<string, string>;
  webhook_url?: string;
}

/** The batch's label: a script's rows each name their own template. */
export const SCRIPT_BATCH_LABEL = 'script';
export const SCRIPT_KEY_COLUMN = 'visual';

export class ScriptRenderService {
  readonly #analyses: ScriptAnalysisService;
  readonly #imports: Pick<BatchImportService, 'createPlanned'>;

  constructor(analyses: ScriptAnalysisService, imports: Pick<BatchImportService, 'createPlanned'>) {
    this.#analyses = analyses;
    this.#imports = imports;
  }

  async render(
    request: RenderRequest,
    caller: Caller,
    idempotencyKey?: string,
    signal?: AbortSignal,
  ): Promise<{ batch: BatchRecord; script: StoredScript; created: boolean }> {
    const script = await this.#resolve(request, caller, signal);
    const rows = storyboardRows(script.segments);
    const { batch, created } = await this.#imports.createPlanned(
      {
        label: SCRIPT_BATCH_LABEL,
        brand: script.brand,
        n: script.options.n,
        priority: 'urgent',
        webhook_url: request.webhook_url,
        key_column: SCRIPT_KEY_COLUMN,
        script_id: script.id,
      },
      rows,
      caller,
      idempotencyKey,
    );
    return { batch, script, created };
  }

  async #resolve(request: RenderRequest, caller: Caller, signal?: AbortSignal): Promise<StoredScript> {
    const edits: ScriptEdit = {
      brand: request.brand,
      title: request.title,
      n: request.n,
      visuals: request.visuals,
      segments: request.segments,
    };
    const hasEdits = Object.values(edits).some((value) => value !== undefined);
    if (request.script_id) {
      if (request.text !== undefined) {
        throw invalidRequest('Give script_id or text, not both', [
          { field: 'text', message: 'the stored script is rendered; send edits as segments' },
        ]);
      }
      return hasEdits ? this.#analyses.edit(request.script_id, edits) : this.#analyses.get(request.script_id);
    }
    if (request.text === undefined) {
      throw invalidRequest('Give the script to render', [
        { field: 'script_id', message: 'script_id (from /v1/scripts/analyze) or text is required' },
      ]);
    }
    const analysed = await this.#analyses.analyze(
      {
        text: request.text,
        brand: request.brand,
        analyzer: request.analyzer,
        n: request.n,
        visuals: request.visuals,
        products: request.products,
        product_images: request.product_images,
      },
      caller,
      signal,
    );
    return request.segments || request.title ? this.#analyses.edit(analysed.id, edits) : analysed;
  }
}

/** The group (zip folder) of a segment: its number and title, "02-亚麻衬衫". */
export function segmentGroup(segment: Pick<ScriptSegment, 'index' | 'title'>): string {
  return `${String(segment.index + 1).padStart(2, '0')}-${segment.title}`.slice(0, 60);
}

/** One batch row per planned visual, in show order; the row key names the visual (cover, hero…). */
export function storyboardRows(segments: readonly ScriptSegment[]): BatchRow[] {
  const rows: BatchRow[] = [];
  for (const segment of segments) {
    for (const visual of segment.visuals) {
      rows.push({
        position: rows.length + 1,
        line: rows.length + 1,
        row_key: visual.role,
        // The zip keeps a segment's images in its folder: 02-亚麻衬衫/cover-1.png.
        file_stem: `${fileStemForKey(segmentGroup(segment), segment.index + 1)}/${visual.role}`,
        params: visual.params,
        n: visual.n,
        seed: null,
        brand: null,
        template: visual.template,
        width: visual.width,
        height: visual.height,
        style_pack: visual.style_pack,
        group_name: segmentGroup(segment),
      });
    }
  }
  return rows;
}
