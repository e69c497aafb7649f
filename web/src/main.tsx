import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { currentSession, type KeyInfo, signOut } from './api.ts';
import { GeneratePage } from './generate-page.tsx';
import { getLocale, onLocaleChange, setLocale, t } from './i18n.ts';
import { LoginPage } from './login-page.tsx';
import './styles.css';

/** Client-side navigation between the studio's pages (the server answers each with index.html). */
function navigate(path: string): void {
  if (location.pathname !== path) history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}

function App() {
  const [path, setPath] = useState(location.pathname);
  const [session, setSession] = useState<KeyInfo | null | undefined>(undefined);
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
    document.title = t('app.title');
    if (session === null && path !== '/login') navigate('/login');
    if (session && path === '/login') navigate('/');
  }, [session, path]);

  // Until the session is known, render nothing rather than flash the sign-in form.
  if (session === undefined) return null;
  const header = (
    <header class="bar">
      <strong>{t('app.title')}</strong>
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
            setSession(null);
          }}
        >
          {t('nav.signOut')}
        </button>
      )}
    </header>
  );
  return (
    <>
      {header}
      <main>{session ? <GeneratePage /> : <LoginPage onSignedIn={setSession} />}</main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
