// Up / down buttons for one row of an ordered list (fields, statuses, actions, rules, layout).
import { Button } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined } from '@ant-design/icons';
import { useT } from '../../i18n';

export interface MoveButtonsProps {
  index: number;
  count: number;
  /** Move the row by -1 (up) or +1 (down). */
  onMove: (delta: -1 | 1) => void;
  upTestId?: string;
  downTestId?: string;
}

export default function MoveButtons({ index, count, onMove, upTestId, downTestId }: MoveButtonsProps) {
  const t = useT();
  return (
    <>
      <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={index === 0} onClick={() => onMove(-1)} aria-label={t('tkcfg.moveUp')} data-testid={upTestId} />
      <Button type="text" size="small" icon={<ArrowDownOutlined />} disabled={index === count - 1} onClick={() => onMove(1)} aria-label={t('tkcfg.moveDown')} data-testid={downTestId} />
    </>
  );
}
