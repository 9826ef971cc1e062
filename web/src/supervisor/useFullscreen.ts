// A full-screen mode for a wall display: the element takes the whole screen through the
// Fullscreen API (Esc leaves, as the browser does), and is styled full-page even where the API
// is refused (a kiosk browser, an iframe), so the mode never depends on it.
import { useCallback, useEffect, useState, type RefObject } from 'react';

export function useFullscreen(target: RefObject<HTMLElement>): { full: boolean; toggle: () => void } {
  const [full, setFull] = useState(false);

  useEffect(() => {
    const onChange = () => {
      if (!document.fullscreenElement) setFull(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setFull(false);
    };
    document.addEventListener('fullscreenchange', onChange);
    window.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('fullscreenchange', onChange);
      window.removeEventListener('keydown', onKey);
    };
  }, []);

  const toggle = useCallback(() => {
    if (full) {
      setFull(false);
      if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
      return;
    }
    setFull(true);
    target.current?.requestFullscreen?.().catch(() => undefined);
  }, [full, target]);

  return { full, toggle };
}
