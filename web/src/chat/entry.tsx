// The customer chat page's entry (loaded by main.tsx for /chat/:tenant/:entry only, so none
// of the admin app — Ant Design, auth, routes — is downloaded by customers).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nProvider, LANGS, type Lang } from '../i18n';
import ChatPage from './ChatPage';

export function mountChat(root: HTMLElement, route: { tenant: string; entry: string }): void {
  const search = window.location.search;
  // `?lang=en` (the widget's data-lang) picks the first language; the header switch changes it.
  const wanted = new URLSearchParams(search).get('lang');
  const initialLang = LANGS.includes(wanted as Lang) ? (wanted as Lang) : undefined;
  if (initialLang) document.documentElement.lang = initialLang;
  createRoot(root).render(
    <StrictMode>
      <I18nProvider initialLang={initialLang}>
        <ChatPage tenant={route.tenant} entry={route.entry} search={search} />
      </I18nProvider>
    </StrictMode>,
  );
}
