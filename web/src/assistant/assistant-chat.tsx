import { useEffect, useRef, useState } from 'preact/hooks';
import type { AssistantTranslate } from '../messages/assistant.ts';
import {
  AssistantApiError,
  type AssistantConnection,
  type AssistantMessageView,
  askAssistant,
  PHOTO_MAX_BYTES,
  PHOTO_TYPES,
  startConversation,
} from './assistant-api.ts';

export interface ChatTurn {
  key: string;
  question: string;
  /** A local preview of the photo sent (object URL), until the stored one is known. */
  photoUrl: string | null;
  answer: string;
  pending: boolean;
  message: AssistantMessageView | null;
}

export interface AssistantChatProps {
  connection: AssistantConnection;
  t: AssistantTranslate;
  lang: 'zh' | 'en';
  sku?: string | null;
  customer?: string | null;
  /** A new conversation starts when this changes (another product, another shopper). */
  conversationKey: string;
  onAnswer?: (message: AssistantMessageView) => void;
  onUnauthorized?: () => void;
}

/**
 * The conversation: the turns so far (the answer streaming into the last one, with the verdict and
 * size as chips), and a form with a question and an optional photo, checked here first (type, 10 MB).
 */
export function AssistantChat(props: AssistantChatProps) {
  const { t } = props;
  const [conversationId, setConversationId] = useState<string | null>(null);
  const [turns, setTurns] = useState<ChatTurn[]>([]);
  const [question, setQuestion] = useState('');
  const [photo, setPhoto] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const log = useRef<HTMLOListElement>(null);

  useEffect(() => {
    setConversationId(null);
    setTurns([]);
  }, [props.conversationKey]);
  useEffect(() => {
    log.current?.lastElementChild?.scrollIntoView?.({ block: 'nearest' });
  }, [turns]);

  const choosePhoto = (file: File | null) => {
    setError(null);
    if (file && !PHOTO_TYPES.includes(file.type)) return setError(t('assistant.photoType'));
    if (file && file.size > PHOTO_MAX_BYTES) return setError(t('assistant.photoSize'));
    setPhoto(file);
  };

  const send = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    if (!question.trim() && !photo) return setError(t('assistant.empty'));
    setError(null);
    setBusy(true);
    const key = `${Date.now()}`;
    const sent = { question: question.trim(), image: photo };
    const update = (change: (turn: ChatTurn) => ChatTurn) =>
      setTurns((current) => current.map((turn) => (turn.key === key ? change(turn) : turn)));
    setTurns((current) => [
      ...current,
      {
        key,
        question: sent.question,
        photoUrl: photo ? URL.createObjectURL(photo) : null,
        answer: '',
        pending: true,
        message: null,
      },
    ]);
    setQuestion('');
    setPhoto(null);
    if (fileInput.current) fileInput.current.value = '';
    try {
      let id = conversationId;
      if (!id) {
        id = (
          await startConversation(props.connection, {
            sku: props.sku,
            customer_id: props.customer,
            locale: props.lang,
          })
        ).id;
        setConversationId(id);
      }
      const message = await askAssistant(props.connection, id, { ...sent, sku: props.sku }, (streamed) => {
        if (streamed.type === 'delta') update((turn) => ({ ...turn, answer: turn.answer + streamed.text }));
        if (streamed.type === 'replace') update((turn) => ({ ...turn, answer: streamed.answer }));
      });
      update((turn) => ({ ...turn, answer: message.answer, pending: false, message }));
      props.onAnswer?.(message);
    } catch (thrown) {
      setTurns((current) => current.filter((turn) => turn.key !== key));
      setQuestion(sent.question);
      if (thrown instanceof AssistantApiError && thrown.status === 401) {
        setError(t('assistant.unauthorized'));
        props.onUnauthorized?.();
      } else setError(t('assistant.failed', { message: (thrown as Error).message }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="assistant-chat">
      {turns.length === 0 && <p class="intro">{t('assistant.intro')}</p>}
      <ol class="turns" ref={log} aria-live="polite">
        {turns.map((turn) => (
          <li key={turn.key} class="turn">
            <div class="bubble mine">
              <span class="who">{t('assistant.you')}</span>
              {turn.photoUrl && (
                <img
                  class="thumb"
                  src={turn.message?.image_url ?? turn.photoUrl}
                  alt={t('assistant.yourPhoto')}
                />
              )}
              {turn.question && <p>{turn.question}</p>}
            </div>
            <div class="bubble theirs" aria-busy={turn.pending}>
              <span class="who">{t('assistant.bot')}</span>
              <p class="answer">{turn.answer || (turn.pending ? t('assistant.sending') : '')}</p>
              {turn.message && <Chips message={turn.message} t={t} />}
            </div>
          </li>
        ))}
      </ol>
      <form class="ask" onSubmit={send}>
        <label class="sr-only" for="assistant-question">
          {t('assistant.question')}
        </label>
        <textarea
          id="assistant-question"
          rows={2}
          value={question}
          placeholder={t('assistant.placeholder')}
          onInput={(event) => setQuestion((event.target as HTMLTextAreaElement).value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey) send(event);
          }}
        />
        <div class="actions">
          <label class="photo-button">
            {t('assistant.photo')}
            <input
              ref={fileInput}
              type="file"
              accept={PHOTO_TYPES.join(',')}
              onChange={(event) => choosePhoto((event.target as HTMLInputElement).files?.[0] ?? null)}
            />
          </label>
          {photo && (
            <span class="chosen">
              {t('assistant.photoChosen', { name: photo.name })}{' '}
              <button
                type="button"
                class="link"
                onClick={() => {
                  setPhoto(null);
                  if (fileInput.current) fileInput.current.value = '';
                }}
              >
                {t('assistant.removePhoto')}
              </button>
            </span>
          )}
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t('assistant.sending') : t('assistant.send')}
          </button>
        </div>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </div>
  );
}

function Chips({ message, t }: { message: AssistantMessageView; t: AssistantTranslate }) {
  return (
    <ul class="chips">
      {message.same_item && (
        <li class={`chip verdict-${message.same_item.verdict}`}>
          {t(`assistant.verdict.${message.same_item.verdict}`)} · {message.same_item.sku}
        </li>
      )}
      {message.size?.recommended && (
        <li class="chip size">{t('assistant.size', { size: message.size.recommended })}</li>
      )}
      {message.needs_human && <li class="chip handoff">{t('assistant.handoff')}</li>}
    </ul>
  );
}
