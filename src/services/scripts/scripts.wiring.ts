import { ScriptRepository } from '../../db/script.repository.ts';
import { chineseWords } from '../../text/chinese-words.ts';
import type { BatchesCapability } from '../batches/batches.wiring.ts';
import type { ChatService } from '../chat/chat.service.ts';
import type { ServiceDeps } from '../deps.ts';
import type { ProductService } from '../products/product.service.ts';
import { ScriptAnalysisService } from './script-analysis.service.ts';
import { scriptCatalogOf, scriptChatOf } from './script-ports.ts';
import { ScriptRenderService } from './script-render.service.ts';
import { ScriptStoryboardService } from './script-storyboard.service.ts';

export interface ScriptsCapability {
  scriptAnalyses: ScriptAnalysisService;
  scriptRenders: ScriptRenderService;
  scriptStoryboards: ScriptStoryboardService;
}

/** Live-stream scripts: analysis (offline or a chat model), the storyboard batch, run sheet and video. */
export function wireScripts(
  deps: ServiceDeps,
  parts: {
    batching: BatchesCapability;
    /** The chat model service (it may have no model: the analysis is then offline only). */
    chat: ChatService;
    products: ProductService;
    ffmpeg: string;
  },
): ScriptsCapability {
  const scripts = new ScriptRepository();
  const scriptAnalyses = new ScriptAnalysisService({
    ...deps,
    scripts,
    chineseWords,
    chat: scriptChatOf(parts.chat),
    products: scriptCatalogOf(parts.products),
  });
  return {
    scriptAnalyses,
    scriptRenders: new ScriptRenderService(scriptAnalyses, parts.batching.batchImports),
    scriptStoryboards: new ScriptStoryboardService(
      { ...deps, scripts, ffmpeg: parts.ffmpeg },
      {
        analyses: scriptAnalyses,
        batches: parts.batching.batches,
        exports: parts.batching.batchExports,
      },
    ),
  };
}
