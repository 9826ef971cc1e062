// Whether the window is phone-narrow (below antd's `md` breakpoint, 768 px), following resizes
// and rotations. Read at once on the first render, so a phone never flashes the desktop layout.
import { useEffect, useState } from 'react';

export const NARROW_QUERY = '(max-width: 767.98px)';

function matches(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia(NARROW_QUERY).matches;
}

export function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(matches);
  useEffect(() => {
    if (typeof window.matchMedia !== 'function') return;
    const mq = window.matchMedia(NARROW_QUERY);
    const on = () => setNarrow(mq.matches);
    on();
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);
  return narrow;
}
