// The flow as a graph, drawn in SVG: a box per node in columns by distance from the start,
// arrows for menu keys, fallbacks, next steps and open/closed; a click selects a node.
import { useMemo } from 'react';
import { useT } from '../../../i18n';
import { edges, layout, type FlowDef, type NodeType } from './model';

const W = 160;
const H = 52;
const GAP_X = 80;
const GAP_Y = 26;
const PAD = 16;

const COLORS: Record<NodeType, string> = {
  menu: '#e6f4ff',
  play: '#f6ffed',
  collect: '#fff7e6',
  hours: '#f9f0ff',
  queue: '#e6fffb',
  extension: '#e6fffb',
  voicemail: '#fff0f6',
  sub_flow: '#fcffe6',
  hangup: '#f5f5f5',
};

const at = (p: { col: number; row: number }) => ({ x: PAD + p.col * (W + GAP_X), y: PAD + p.row * (H + GAP_Y) });

const short = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export default function FlowGraph(props: { def: FlowDef; selected: string | null; flagged: Set<string>; onSelect: (id: string) => void }) {
  const t = useT();
  const { def, selected, flagged, onSelect } = props;
  const pos = useMemo(() => layout(def), [def]);
  // Edges between the same two nodes share one arrow, their labels joined ("2 / 超时").
  const arrows = useMemo(() => {
    const byPair = new Map<string, { from: string; to: string; labels: string[] }>();
    for (const e of edges(def)) {
      const key = `${e.from}→${e.to}`;
      const label = e.kind === 'key' ? (e.key ?? '') : t(`voice.flow.edge.${e.kind}`);
      const a = byPair.get(key) ?? { from: e.from, to: e.to, labels: [] };
      a.labels.push(label);
      byPair.set(key, a);
    }
    return [...byPair.values()];
  }, [def, t]);
  const cells = Object.values(pos);
  const width = PAD * 2 + (Math.max(0, ...cells.map((p) => p.col)) + 1) * (W + GAP_X) - GAP_X;
  const height = PAD * 2 + (Math.max(0, ...cells.map((p) => p.row)) + 1) * (H + GAP_Y) - GAP_Y;

  return (
    <svg width={width} height={height} role="img" aria-label={t('voice.flow.graph')} data-testid="flow-graph" style={{ display: 'block' }}>
      <defs>
        <marker id="flow-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" fill="#8c8c8c" />
        </marker>
      </defs>
      {arrows.map((a) => {
        const s = at(pos[a.from]);
        const e = at(pos[a.to]);
        const forward = e.x > s.x;
        const [x1, y1] = forward ? [s.x + W, s.y + H / 2] : [s.x + W / 2, s.y + H];
        const [x2, y2] = forward ? [e.x, e.y + H / 2] : [e.x + W / 2, e.y + H];
        const bend = forward ? `C ${x1 + GAP_X / 2} ${y1}, ${x2 - GAP_X / 2} ${y2}, ${x2} ${y2}` : `C ${x1} ${y1 + 40}, ${x2} ${y2 + 40}, ${x2} ${y2}`;
        const mx = (x1 + x2) / 2;
        const my = forward ? (y1 + y2) / 2 - 4 : Math.max(y1, y2) + 26;
        return (
          <g key={`${a.from}→${a.to}`} data-testid={`flow-edge-${a.from}-${a.to}`}>
            <path d={`M ${x1} ${y1} ${bend}`} fill="none" stroke="#8c8c8c" strokeWidth={1.3} markerEnd="url(#flow-arrow)" />
            <text x={mx} y={my} fontSize={11} textAnchor="middle" fill="#595959" style={{ paintOrder: 'stroke', stroke: '#fff', strokeWidth: 3 }}>
              {a.labels.join(' / ')}
            </text>
          </g>
        );
      })}
      {Object.entries(def.nodes).map(([id, n]) => {
        const { x, y } = at(pos[id]);
        const isSelected = id === selected;
        const stroke = flagged.has(id) ? '#ff4d4f' : isSelected ? '#1677ff' : '#bfbfbf';
        return (
          <g key={id} transform={`translate(${x},${y})`} onClick={() => onSelect(id)} style={{ cursor: 'pointer' }} data-testid={`flow-node-${id}`}>
            <rect width={W} height={H} rx={8} fill={COLORS[n.type]} stroke={stroke} strokeWidth={isSelected || flagged.has(id) ? 2.5 : 1} />
            <text x={10} y={21} fontSize={13} fontWeight={600} fill="#262626">
              {id === def.start ? '▶ ' : ''}
              {short(n.label || id, 13)}
            </text>
            <text x={10} y={40} fontSize={11} fill="#8c8c8c">
              {t(`voice.flow.type.${n.type}`)} · {short(id, 14)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
