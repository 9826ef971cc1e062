// A thresholded figure: amber for a warning, red for an alarm, each with an icon and a spoken
// word too, so that the level never rests on colour alone.
import type { ReactNode } from 'react';
import { Tooltip } from 'antd';
import { ExclamationCircleFilled, WarningFilled } from '@ant-design/icons';
import { useT } from '../i18n';
import type { Level } from './figures';

export default function LevelCell({ level, children, testId }: { level: Level; children: ReactNode; testId?: string }) {
  const t = useT();
  if (level === 'ok') {
    return (
      <span className="level-cell" data-level="ok" data-testid={testId}>
        {children}
      </span>
    );
  }
  const word = t(level === 'alarm' ? 'board.level.alarm' : 'board.level.warn');
  return (
    <Tooltip title={word}>
      <span className={`level-cell level-${level}`} data-level={level} data-testid={testId} aria-label={word}>
        {level === 'alarm' ? <WarningFilled /> : <ExclamationCircleFilled />} {children}
      </span>
    </Tooltip>
  );
}
