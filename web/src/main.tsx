import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { loadLang } from './i18n';
import { matchChatPath } from './chat/route';

document.documentElement.lang = loadLang();
const root = document.getElementById('root')!;

// Two bundles behind one index.html: the public customer chat page (/chat/:tenant/:entry)
// and the signed-in admin console / workbench.
const chat = matchChatPath(window.location.pathname);
if (chat) {
  void import('./chat/entry').then((m) => m.mountChat(root, chat));
} else {
  void import('./App').then(({ default: App }) => {
    createRoot(root).render(
      <StrictMode>
        <App />
      </StrictMode>,
    );
  });
}
