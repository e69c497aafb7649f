import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { currentSession, type KeyInfo, SESSION_ENDED_EVENT, signOut } from './api.ts';
import { getLocale, onLocaleChange, setLocale, t } from './i18n.ts';
import { LoginPage } from './login-page.tsx';
import { navigate, ROUTES } from './routes.ts';
import './styles.css';

function App() {
  const [path, setPath] = useState(location.pathname);
  const [session, setSession] = useState<KeyInfo | null | undefined>(undefined);
  // Where to go back to after signing in again, when the session ended mid-use.
  const [returnTo, setReturnTo] = useState<string | null>(null);
  const [, setLocaleState] = useState(getLocale());

  useEffect(() => onLocaleChange(setLocaleState), []);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  useEffect(() => {
    currentSession().then(setSession, () => setSession(null));
  }, []);
  useEffect(() => {
    const ended = () => {
      setReturnTo(location.pathname === '/login' ? null : location.pathname + location.search);
      setSession(null);
    };
    addEventListener(SESSION_ENDED_EVENT, ended);
    return () => removeEventListener(SESSION_ENDED_EVENT, ended);
  }, []);
  // After a change of screen (not the first load), focus goes to the new screen's content, so
  // keyboard and screen-reader users start there rather than wherever the old screen left them.
  const shown = session === undefined ? null : `${session ? 'in' : 'out'}:${path}`;
  const [firstShown, setFirstShown] = useState<string | null>(null);
  useEffect(() => {
    if (shown === null) return;
    if (firstShown === null) setFirstShown(shown);
    else document.getElementById('content')?.focus();
  }, [shown]);
  useEffect(() => {
    document.title = t('app.title');
    if (session === null && path !== '/login') navigate('/login');
    if (session && path === '/login') navigate(returnTo ?? '/');
  }, [session, path]);

  // Until the session is known, render nothing rather than flash the sign-in form.
  if (session === undefined) return null;
  const route = ROUTES.find((candidate) => candidate.path === path) ?? ROUTES[0]!;
  const Page = route.page;
  return (
    <>
      <a class="skip" href="#content">
        {t('nav.skip')}
      </a>
      <header class="bar">
        <strong>{t('app.title')}</strong>
        {session && (
          <nav aria-label={t('nav.main')}>
            {ROUTES.map((candidate) => (
              <a
                key={candidate.path}
                class="nav-link"
                href={candidate.path}
                aria-current={candidate === route ? 'page' : undefined}
                onClick={(event) => {
                  if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
                  event.preventDefault();
                  navigate(candidate.path);
                }}
              >
                {t(candidate.label)}
              </a>
            ))}
          </nav>
        )}
        <span class="spacer" />
        <button type="button" class="link" onClick={() => setLocale(getLocale() === 'zh' ? 'en' : 'zh')}>
          {t('nav.language')}
        </button>
        {session && (
          <button
            type="button"
            class="link"
            onClick={async () => {
              await signOut();
              setReturnTo(null);
              setSession(null);
            }}
          >
            {t('nav.signOut')}
          </button>
        )}
      </header>
      <main id="content" tabIndex={-1}>
        {session ? (
          <Page key={route.path} />
        ) : (
          <LoginPage ended={returnTo !== null} onSignedIn={setSession} />
        )}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
