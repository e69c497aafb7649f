import { useEffect, useState } from 'preact/hooks';
import { ApiError, type KeyInfo, signIn } from './api.ts';
import { t } from './i18n.ts';

/**
 * Exchanges an API key for a session cookie. The key goes to the server once and is not kept
 * anywhere in the page; a plain form post to /login works the same without JavaScript.
 */
export function LoginPage(props: { ended?: boolean; onSignedIn(key: KeyInfo): void }) {
  const [error, setError] = useState<string | null>(
    new URLSearchParams(location.search).has('error') ? t('login.invalid') : null,
  );
  const [busy, setBusy] = useState(false);

  // The login link printed at first start: /login#key=… (a fragment never reaches a server or its
  // logs). The key is taken off the address at once, so it stays out of the history too.
  useEffect(() => {
    const key = new URLSearchParams(location.hash.slice(1)).get('key');
    if (!key) return;
    history.replaceState(null, '', location.pathname + location.search);
    setBusy(true);
    signIn(key)
      .then(({ key: info }) => props.onSignedIn(info))
      .catch((failure) =>
        setError(
          failure instanceof ApiError && failure.status === 401 ? t('login.invalid') : String(failure),
        ),
      )
      .finally(() => setBusy(false));
  }, []);

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const key = new FormData(form).get('key');
    if (typeof key !== 'string' || key.trim() === '') return;
    setBusy(true);
    setError(null);
    try {
      const { key: info } = await signIn(key.trim());
      form.reset();
      props.onSignedIn(info);
    } catch (failure) {
      setError(failure instanceof ApiError && failure.status === 401 ? t('login.invalid') : String(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card narrow" method="post" action="/login" onSubmit={submit}>
      <h1>{t('login.heading')}</h1>
      <label for="key">{t('login.keyLabel')}</label>
      <input id="key" name="key" type="password" autocomplete="off" required spellcheck={false} />
      <p class="hint">{t('login.keyHint')}</p>
      {props.ended && !error && (
        <p class="notice" role="status">
          {t('login.expired')}
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {t('login.submit')}
      </button>
    </form>
  );
}
