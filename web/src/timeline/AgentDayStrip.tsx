// An agent's day as a Gantt-like strip (X3): one lane of states coloured as everywhere else,
// busy and rest labelled with their reason, and a second lane of the contacts they held (the
// wrap-up part lighter); a held contact opens its life.
import { Tooltip } from 'antd';
import dayjs from 'dayjs';
import type { AgentTimeline } from '../api/types';
import { useT } from '../i18n';
import { STATE_COLORS } from '../workbench/model';
import { reasonLabel } from '../workbench/labels';
import { formatMs } from '../supervisor/figures';
import { layoutDay, timeInStates } from './model';

const clock = (at: string) => dayjs(at).format('HH:mm:ss');

export default function AgentDayStrip({ day, onContact }: { day: AgentTimeline; onContact: (contactId: string) => void }) {
  const t = useT();
  const strip = layoutDay(day);
  const totals = timeInStates(day);
  return (
    <div className="day-strip" data-testid="day-strip" data-spans={strip.states.length} data-contacts={strip.contacts.length}>
      <div className="day-lane-label">{t('timeline.states')}</div>
      <div className="day-lane" data-testid="day-states">
        {strip.states.map((s) => {
          const reason = s.reason ? reasonLabel(s.reason, t) : '';
          const name = t(`state.${s.state}`) + (reason ? ` · ${reason}` : '');
          return (
            <Tooltip key={`${s.from}-${s.state}`} title={`${name} ${clock(s.from)}–${clock(s.to)}`}>
              <div
                className="day-block"
                data-testid="day-span"
                data-state={s.state}
                style={{ left: `${s.left}%`, width: `${s.width}%`, background: STATE_COLORS[s.state] }}
                aria-label={name}
              >
                {s.width > 4 ? <span className="day-block-text">{reason || t(`state.${s.state}`)}</span> : null}
              </div>
            </Tooltip>
          );
        })}
      </div>
      <div className="day-lane-label">{t('timeline.contacts')}</div>
      <div className="day-lane day-lane-contacts" data-testid="day-contacts">
        {strip.contacts.map((c) => (
          <Tooltip key={`${c.contactId}-${c.from}`} title={`${clock(c.from)}–${clock(c.to)} · ${t('timeline.openLife')}`}>
            <button
              type="button"
              className="day-block day-contact"
              data-testid="day-contact"
              data-contact-id={c.contactId}
              style={{
                left: `${c.left}%`,
                width: `${c.width}%`,
                background: c.wrapAt === null ? STATE_COLORS.talking : `linear-gradient(to right, ${STATE_COLORS.talking} ${c.wrapAt}%, ${STATE_COLORS.wrap_up} ${c.wrapAt}%)`,
              }}
              onClick={() => onContact(c.contactId)}
              aria-label={t('timeline.openLife')}
            />
          </Tooltip>
        ))}
      </div>
      <div className="day-lane-label" />
      <div className="day-hours">
        {strip.hours.map((h) => (
          <span key={h.left} style={{ left: `${h.left}%` }}>
            {String(h.hour).padStart(2, '0')}:00
          </span>
        ))}
      </div>
      <div className="day-legend">
        {(['idle', 'talking', 'wrap_up', 'busy', 'rest'] as const).map((s) => (
          <span key={s} data-testid={`day-total-${s}`} data-ms={totals[s] ?? 0}>
            <span className="state-dot" style={{ background: STATE_COLORS[s] }} />
            {t(`state.${s}`)} {formatMs(totals[s] ?? 0)}
          </span>
        ))}
      </div>
    </div>
  );
}
