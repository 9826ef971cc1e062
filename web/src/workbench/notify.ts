// Browser notifications for offers while the tab is hidden (S5). Silently does nothing where
// the Notification API is missing or permission was refused.

function api(): typeof Notification | null {
  return typeof window !== 'undefined' && 'Notification' in window ? window.Notification : null;
}

/** Ask once (on the first sign-in); never throws. */
export function requestNotificationPermission(): void {
  const N = api();
  if (!N || N.permission !== 'default') return;
  try {
    // Promise.resolve: the old callback-only API returns nothing.
    void Promise.resolve(N.requestPermission()).catch(() => undefined);
  } catch {
    /* old callback-only API or blocked: skip */
  }
}

/** Show a notification when the page is hidden and permission is granted; clicking focuses the tab. */
export function notifyIfHidden(title: string, body: string, tag: string): void {
  const N = api();
  if (!N || N.permission !== 'granted' || typeof document === 'undefined' || !document.hidden) return;
  try {
    const n = new N(title, { body, tag });
    n.onclick = () => {
      window.focus();
      n.close();
    };
  } catch {
    /* some browsers only allow notifications from a service worker */
  }
}
