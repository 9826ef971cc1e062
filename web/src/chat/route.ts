// The customer chat page's route, kept tiny: main.tsx decides with it which bundle to load.

/** `/chat/{tenant}/{entry}` → its parts (the customer page's route), else null. */
export function matchChatPath(pathname: string): { tenant: string; entry: string } | null {
  const m = /^\/chat\/([^/]+)\/([^/]+)\/?$/.exec(pathname);
  if (!m) return null;
  try {
    return { tenant: decodeURIComponent(m[1]), entry: decodeURIComponent(m[2]) };
  } catch {
    return null;
  }
}
