import { ScriptRepository } from '../../db/script.repository.ts';
import type { ChatModel } from '../../providers/chat/spec.ts';
import { chineseWords } from '../../text/chinese-words.ts';
import type { BatchesCapability } from '../batches/batches.wiring.ts';
import type { ServiceDeps } from '../deps.ts';
import { ScriptAnalysisService, type ScriptProductCatalog } from './script-analysis.service.ts';
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
    chat: ChatModel | null;
    products: ScriptProductCatalog | null;
    ffmpeg: string;
  },
): ScriptsCapability {
  const scripts = new ScriptRepository();
  const scriptAnalyses = new ScriptAnalysisService({
    ...deps,
    scripts,
    chineseWords,
    chat: parts.chat,
    products: parts.products,
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
