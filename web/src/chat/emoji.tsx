// A small built-in emoji grid (no emoji library: the system font draws them).
import { useEffect, useRef } from 'react';

export const EMOJI = [
  '😀', '😁', '😂', '🤣', '😊', '😍', '😘', '😉',
  '😎', '🤔', '😅', '😢', '😭', '😡', '😱', '😴',
  '🙂', '🙃', '😇', '🥰', '😋', '🤗', '🤝', '🙏',
  '👍', '👎', '👌', '👏', '💪', '✌️', '👋', '🙌',
  '❤️', '💔', '🎉', '🌹', '🔥', '⭐', '✅', '❌',
];

export function EmojiPicker({ label, onPick, onClose }: { label: string; onPick: (emoji: string) => void; onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const away = (e: MouseEvent | TouchEvent) => {
      const el = ref.current;
      const target = e.target as Element | null;
      if (el && target && !el.contains(target) && !target.closest?.('[data-emoji-toggle]')) onClose();
    };
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    document.addEventListener('mousedown', away);
    document.addEventListener('touchstart', away);
    document.addEventListener('keydown', esc);
    return () => {
      document.removeEventListener('mousedown', away);
      document.removeEventListener('touchstart', away);
      document.removeEventListener('keydown', esc);
    };
  }, [onClose]);
  return (
    <div ref={ref} className="sbc-emoji" role="dialog" aria-label={label} data-testid="chat-emoji-grid">
      {EMOJI.map((e) => (
        <button key={e} type="button" className="sbc-emoji-btn" onClick={() => onPick(e)} aria-label={e}>
          {e}
        </button>
      ))}
    </div>
  );
}
