// Options of a select field (a list) or a cascade field (a tree): value + label per option, add,
// reorder, remove, and for cascades add children at any depth.
import { Button, Empty, Input, Space, Tooltip, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined, SubnodeOutlined } from '@ant-design/icons';
import { useT } from '../../i18n';
import { addOption, moveOption, nextOptionValue, optionAt, removeOption, updateOption, type OptionPath } from './definition';
import type { FieldOption } from '../../tickets/types';

export interface OptionEditorProps {
  value?: FieldOption[];
  onChange?: (next: FieldOption[]) => void;
  /** A tree (cascade) rather than a list. */
  cascade?: boolean;
  /** The option the check found wrong, to mark. */
  badPath?: readonly number[] | null;
}

const MAX_DEPTH = 5;

export default function OptionEditor({ value = [], onChange, cascade = false, badPath }: OptionEditorProps) {
  const t = useT();
  const set = (next: FieldOption[]) => onChange?.(next);
  const add = (parent: OptionPath) => {
    const level = parent.length ? (optionAt(value, parent)?.children ?? []) : value;
    const v = nextOptionValue(level);
    set(addOption(value, parent, { value: v, label: '' }));
  };

  const rows = (level: readonly FieldOption[], at: number[]): React.ReactNode[] =>
    level.flatMap((o, i) => {
      const path = [...at, i];
      const id = path.join('-');
      const bad = !!badPath && badPath.length === path.length && badPath.every((p, j) => p === path[j]);
      return [
        <div key={`row-${id}`} className={`tkcfg-option-row${bad ? ' tkcfg-option-bad' : ''}`} style={{ paddingInlineStart: at.length * 24 }}>
          {at.length > 0 && <span className="tkcfg-option-branch">└</span>}
          <Input
            size="small"
            value={o.value}
            placeholder={t('tkcfg.field.optionValue')}
            onChange={(e) => set(updateOption(value, path, { value: e.target.value }))}
            style={{ width: 150 }}
            status={bad ? 'error' : undefined}
            data-testid={`opt-value-${id}`}
          />
          <Input
            size="small"
            value={o.label}
            placeholder={t('tkcfg.field.optionLabel')}
            onChange={(e) => set(updateOption(value, path, { label: e.target.value }))}
            style={{ flex: 1, minWidth: 120 }}
            status={bad ? 'error' : undefined}
            data-testid={`opt-label-${id}`}
          />
          <Space size={0}>
            <Tooltip title={t('tkcfg.moveUp')}>
              <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => set(moveOption(value, path, -1))} />
            </Tooltip>
            <Tooltip title={t('tkcfg.moveDown')}>
              <Button type="text" size="small" icon={<ArrowDownOutlined />} disabled={i === level.length - 1} onClick={() => set(moveOption(value, path, 1))} />
            </Tooltip>
            {cascade && (
              <Tooltip title={t('tkcfg.field.addChildOption')}>
                <Button type="text" size="small" icon={<SubnodeOutlined />} disabled={path.length >= MAX_DEPTH} onClick={() => add(path)} data-testid={`opt-add-child-${id}`} />
              </Tooltip>
            )}
            <Tooltip title={t('common.remove')}>
              <Button type="text" size="small" danger icon={<DeleteOutlined />} onClick={() => set(removeOption(value, path))} data-testid={`opt-remove-${id}`} />
            </Tooltip>
          </Space>
        </div>,
        ...rows(o.children ?? [], path),
      ];
    });

  return (
    <div className="tkcfg-options" data-testid="option-editor">
      {value.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tkcfg.field.noOptions')} style={{ margin: '8px 0' }} />
      ) : (
        <>
          <div className="tkcfg-option-head" style={{ paddingInlineStart: 0 }}>
            <Typography.Text type="secondary" style={{ width: 150 }}>{t('tkcfg.field.optionValue')}</Typography.Text>
            <Typography.Text type="secondary">{t('tkcfg.field.optionLabel')}</Typography.Text>
          </div>
          {rows(value, [])}
        </>
      )}
      <Button type="dashed" size="small" block icon={<PlusOutlined />} onClick={() => add([])} data-testid="opt-add" style={{ marginTop: 8 }}>
        {cascade ? t('tkcfg.field.addRootOption') : t('tkcfg.field.addOption')}
      </Button>
    </div>
  );
}
