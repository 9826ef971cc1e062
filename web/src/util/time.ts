// Timers shown against the server's clock: the browser's clock may be off, so every response
// carrying `server_time` gives an offset (server − local) that the running timers add.

/** Milliseconds to add to the local clock to get the server's clock. */
export function clockOffset(serverTime: string | null | undefined, localNowMs: number): number {
  if (!serverTime) return 0;
  const server = Date.parse(serverTime);
  return Number.isFinite(server) ? server - localNowMs : 0;
}

/**
 * The offset for a response: measured at the midpoint of the request when its start is known
 * (the server stamped `server_time` somewhere between sending and receiving).
 */
export function responseOffset(serverTime: string | null | undefined, sentAtMs: number, receivedAtMs: number): number {
  return clockOffset(serverTime, sentAtMs + (receivedAtMs - sentAtMs) / 2);
}

/** Whole seconds from `since` to the server's now (never negative); null when `since` is missing or bad. */
export function elapsedSeconds(since: string | null | undefined, offsetMs: number, localNowMs: number): number | null {
  if (!since) return null;
  const t = Date.parse(since);
  if (!Number.isFinite(t)) return null;
  return Math.max(0, Math.floor((localNowMs + offsetMs - t) / 1000));
}

/** Whole seconds left until `until` on the server's clock (never negative); null when missing. */
export function remainingSeconds(until: string | null | undefined, offsetMs: number, localNowMs: number): number | null {
  if (!until) return null;
  const t = Date.parse(until);
  if (!Number.isFinite(t)) return null;
  return Math.max(0, Math.ceil((t - (localNowMs + offsetMs)) / 1000));
}

/** `m:ss` under an hour, `h:mm:ss` from an hour on; `--:--` for null. */
export function formatDuration(totalSeconds: number | null): string {
  if (totalSeconds === null || !Number.isFinite(totalSeconds)) return '--:--';
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(sec)}` : `${pad(m)}:${pad(sec)}`;
}
