import { PickerTokenRepository } from '../../db/picker-token.repository.ts';
import { StudioSessionRepository } from '../../db/studio-session.repository.ts';
import type { ServiceDeps } from '../deps.ts';
import { ApiKeyService } from './api-key.service.ts';
import { PickerTokenService } from './picker-token.service.ts';
import { StudioSessionService } from './studio-session.service.ts';

export interface AccessCapability {
  apiKeys: ApiKeyService;
  studioSessions: StudioSessionService;
  pickerTokens: PickerTokenService;
}

/** Who may call: API keys, the studio's sessions, the picker's short-lived tokens. */
export function wireAccess(deps: ServiceDeps): AccessCapability {
  const apiKeys = new ApiKeyService(deps);
  return {
    apiKeys,
    studioSessions: new StudioSessionService({
      db: deps.db,
      sessions: new StudioSessionRepository(),
      apiKeys,
    }),
    pickerTokens: new PickerTokenService({ db: deps.db, tokens: new PickerTokenRepository() }),
  };
}
