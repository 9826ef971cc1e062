// The one writer of the tab's title: the page's own title, the unread count in front of it, and
// an alert (an offer ringing) that blinks in its place once a second until it is taken away.

/** The title with the unread total in front: "(3) Switchboard". */
export function titleWithUnread(base: string, unread: number): string {
  return unread > 0 ? `(${unread > 99 ? '99+' : unread}) ${base}` : base;
}

/** What the title says: the alert in its "on" half-second, else the base with the unread count. */
export function composeTitle(base: string, unread: number, alert: string | null, on: boolean): string {
  return alert && on ? alert : titleWithUnread(base, unread);
}

let base: string | null = null;
let unread = 0;
let alert: string | null = null;
let on = false;
let timer: ReturnType<typeof setInterval> | null = null;

function apply(): void {
  if (typeof document === 'undefined') return;
  base ??= document.title;
  document.title = composeTitle(base, unread, alert, on);
}

/** The unread count shown in front of the title (0 for none). */
export function setTitleUnread(n: number): void {
  unread = n;
  apply();
}

/** Blink `text` in the title once a second; `null` stops and restores the title. */
export function setTitleAlert(text: string | null): void {
  alert = text;
  if (text && !timer) {
    on = true;
    timer = setInterval(() => {
      on = !on;
      apply();
    }, 1000);
  } else if (!text && timer) {
    clearInterval(timer);
    timer = null;
    on = false;
  }
  apply();
}
