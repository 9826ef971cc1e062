// Tickets created and completed per day, as grouped bars in plain SVG (no chart library).
import { useT } from '../i18n';
import { labelEvery, niceTicks, type TicketStats } from './ticketStats';

const W = 960;
const H = 260;
const PAD = { left: 44, right: 12, top: 14, bottom: 34 };
export const CHART_COLORS = { created: '#1677ff', completed: '#52c41a' } as const;

export default function TicketDayChart({ days }: { days: TicketStats['by_day'] }) {
  const t = useT();
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const max = Math.max(0, ...days.map((d) => Math.max(d.created, d.completed)));
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1] || 1;
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const n = Math.max(1, days.length);
  const slot = plotW / n;
  const bar = Math.max(1, Math.min(16, slot * 0.36));
  const every = labelEvery(n, Math.floor(plotW / 56));

  return (
    <div className="tkstats-chart" data-testid="tkstats-chart">
      <div className="tkstats-legend">
        <span><span className="tkstats-swatch" style={{ background: CHART_COLORS.created }} />{t('tkstats.created')}</span>
        <span><span className="tkstats-swatch" style={{ background: CHART_COLORS.completed }} />{t('tkstats.completed')}</span>
      </div>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={t('tkstats.chartTitle')}>
        {ticks.map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} stroke={v === 0 ? '#bfbfbf' : '#f0f0f0'} />
            <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" fontSize={11} fill="#8c8c8c">{v}</text>
          </g>
        ))}
        {days.map((d, i) => {
          const x0 = PAD.left + i * slot;
          const mid = x0 + slot / 2;
          const showLabel = (days.length - 1 - i) % every === 0;
          return (
            <g key={d.date} data-testid={`tkstats-day-${d.date}`}>
              <title>{t('tkstats.dayTip', { date: d.date, created: d.created, completed: d.completed })}</title>
              <rect x={x0} y={PAD.top} width={slot} height={plotH} fill="transparent" />
              {d.created > 0 && (
                <rect x={mid - bar - 1} y={y(d.created)} width={bar} height={y(0) - y(d.created)} rx={2} fill={CHART_COLORS.created} />
              )}
              {d.completed > 0 && (
                <rect x={mid + 1} y={y(d.completed)} width={bar} height={y(0) - y(d.completed)} rx={2} fill={CHART_COLORS.completed} />
              )}
              {showLabel && (
                <text x={mid} y={H - PAD.bottom + 16} textAnchor="middle" fontSize={11} fill="#8c8c8c">{d.date.slice(5)}</text>
              )}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
