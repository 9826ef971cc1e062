// The ticket list: one row per ticket, sorted on the server, opened by click or Enter.
import { Table, Tag, Tooltip, Typography } from 'antd';
import type { TableProps } from 'antd';
import type { ColumnType } from 'antd/es/table';
import { FlagFilled } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { useT } from '../i18n';
import { FLAG_HEX, isOverdue, PRIORITY_COLORS, STATUS_COLORS, statusLabel } from './actions';
import { ticketPath } from './events';
import { formatTime } from './fields';
import { columnOfSortKey, sortKeyOfColumn } from './query';
import { flagText, priorityText } from './labels';
import type { TicketMeta } from './useTicketMeta';
import type { TicketRow, TicketSort } from './types';

interface Props {
  rows: TicketRow[];
  loading: boolean;
  meta: TicketMeta;
  sort: TicketSort | null;
  onSort: (s: TicketSort | null) => void;
}

export default function TicketTable({ rows, loading, meta, sort, onSort }: Props) {
  const t = useT();
  const navigate = useNavigate();
  const sorted = columnOfSortKey(sort?.field);
  const sortable = (column: string): Pick<ColumnType<TicketRow>, 'sorter' | 'sortOrder'> => ({
    sorter: sortKeyOfColumn(column) !== null,
    sortOrder: sorted === column ? (sort?.desc ? 'descend' : 'ascend') : null,
  });

  const columns: TableProps<TicketRow>['columns'] = [
    {
      title: '',
      dataIndex: 'flag',
      width: 36,
      render: (f: string | null) =>
        f ? (
          <Tooltip title={flagText(t, f)}>
            <FlagFilled style={{ color: FLAG_HEX[f] ?? f }} data-testid={`row-flag-${f}`} />
          </Tooltip>
        ) : null,
    },
    {
      title: t('tk.col.number'),
      dataIndex: 'number',
      ...sortable('number'),
      render: (n: string, r) => (
        <a
          href={ticketPath(r.id)}
          onClick={(e) => {
            e.preventDefault();
            e.stopPropagation();
            navigate(ticketPath(r.id));
          }}
          data-testid={`ticket-link-${n}`}
        >
          {n}
        </a>
      ),
    },
    { title: t('tk.col.title'), dataIndex: 'title', ellipsis: true, width: 260 },
    {
      title: t('tk.col.status'),
      dataIndex: 'status',
      render: (s: string, r) => <Tag color={STATUS_COLORS[r.status_category] ?? 'default'}>{statusLabel(meta.typeById(r.type_id), s)}</Tag>,
    },
    {
      title: t('tk.col.priority'),
      dataIndex: 'priority',
      render: (p: string | null) => (p ? <Tag color={PRIORITY_COLORS[p] ?? 'default'}>{priorityText(t, p)}</Tag> : '—'),
    },
    { title: t('tk.col.customer'), dataIndex: 'customer', render: (v: string | null) => v || '—' },
    { title: t('tk.col.phone'), dataIndex: 'phone', render: (v: string | null) => v || '—' },
    {
      title: t('tk.col.assignee'),
      dataIndex: 'assignee_id',
      render: (id: string | null) => (id ? meta.dir.userName(id) : <Typography.Text type="secondary">{t('tk.unassigned')}</Typography.Text>),
    },
    { title: t('tk.col.group'), dataIndex: 'group_id', render: (id: string | null) => (id ? meta.dir.groupName(id) : '—') },
    { title: t('tk.col.createdAt'), dataIndex: 'created_at', ...sortable('created_at'), render: (v: string) => formatTime(v) },
    { title: t('tk.col.updatedAt'), dataIndex: 'updated_at', ...sortable('updated_at'), render: (v: string) => formatTime(v) },
    {
      title: t('tk.col.dueAt'),
      dataIndex: 'due_at',
      ...sortable('due_at'),
      render: (v: string | null, r) =>
        v ? (
          isOverdue(v, r.status_category) ? (
            <Typography.Text type="danger" data-testid="row-overdue">
              {formatTime(v)}
            </Typography.Text>
          ) : (
            formatTime(v)
          )
        ) : (
          '—'
        ),
    },
  ];

  return (
    <Table<TicketRow>
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={rows}
      columns={columns}
      pagination={false}
      scroll={{ x: 'max-content' }}
      data-testid="ticket-table"
      locale={{ emptyText: t('tk.list.empty') }}
      onChange={(_, __, sorter) => {
        const s = Array.isArray(sorter) ? sorter[0] : sorter;
        const column = typeof s?.field === 'string' ? s.field : Array.isArray(s?.field) ? String(s.field[0]) : '';
        const key = sortKeyOfColumn(column);
        onSort(s?.order && key ? { field: key, desc: s.order === 'descend' } : null);
      }}
      onRow={(r) =>
        ({
          'data-testid': `ticket-row-${r.number}`,
          className: 'ticket-row',
          tabIndex: 0,
          onClick: () => navigate(ticketPath(r.id)),
          onKeyDown: (e: React.KeyboardEvent) => {
            if (e.key === 'Enter') navigate(ticketPath(r.id));
          },
        }) as React.HTMLAttributes<HTMLElement>
      }
    />
  );
}
