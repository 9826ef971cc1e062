// A full-screen mode for a wall display: the page takes the whole screen through the
// Fullscreen API while the board covers the page's menus (so the board's own popups — menus,
// drawers, dialogs, rendered at the page's end — stay visible); where the API is refused (a
// kiosk browser, an iframe) the board still covers the window. Esc leaves either way.
import { useCallback, useEffect, useState } from 'react';

function exitBrowserFullscreen(): void {
  if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
}

export function useFullscreen(): { full: boolean; toggle: () => void } {
  const [full, setFull] = useState(false);

  useEffect(() => {
    if (!full) return;
    const onChange = () => {
      if (!document.fullscreenElement) setFull(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setFull(false);
      exitBrowserFullscreen();
    };
    document.addEventListener('fullscreenchange', onChange);
    window.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('fullscreenchange', onChange);
      window.removeEventListener('keydown', onKey);
    };
  }, [full]);

  // Leaving the page leaves full screen too.
  useEffect(() => () => exitBrowserFullscreen(), []);

  const toggle = useCallback(() => {
    if (full) {
      setFull(false);
      exitBrowserFullscreen();
      return;
    }
    setFull(true);
    document.documentElement.requestFullscreen?.().catch(() => undefined);
  }, [full]);

  return { full, toggle };
}
