// A report's filters: the date range, the interval, which queues or agents, the channel (agents
// only), and the export buttons (.xlsx and CSV, in the UI's language).
import { Button, DatePicker, Select, Space } from 'antd';
import { DownloadOutlined, SearchOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useT } from '../i18n';
import { INTERVALS, REPORT_CHANNELS, type ReportChannel, type ReportFilter } from './model';

interface Props {
  /** The tenant's today: later days cannot be picked. */
  today: string;
  kind: 'queues' | 'agents';
  value: ReportFilter;
  onChange: (f: ReportFilter) => void;
  options: { value: string; label: string }[];
  onSearch: () => void;
  onExport: (format: 'xlsx' | 'csv') => void;
  loading: boolean;
}

export default function ReportFilters({ today, kind, value, onChange, options, onSearch, onExport, loading }: Props) {
  const t = useT();
  return (
    <Space wrap style={{ marginBottom: 16 }}>
      <DatePicker.RangePicker
        allowClear={false}
        value={[dayjs(value.from), dayjs(value.to)]}
        disabledDate={(d) => d.format('YYYY-MM-DD') > today}
        onChange={(v) => v?.[0] && v[1] && onChange({ ...value, from: v[0].format('YYYY-MM-DD'), to: v[1].format('YYYY-MM-DD') })}
        data-testid={`report-${kind}-range`}
      />
      <Select
        style={{ width: 150 }}
        value={value.interval}
        onChange={(interval) => onChange({ ...value, interval })}
        options={INTERVALS.map((i) => ({ value: i, label: t(`reports.interval.${i}`) }))}
        data-testid={`report-${kind}-interval`}
      />
      <Select
        mode="multiple"
        allowClear
        showSearch
        optionFilterProp="label"
        style={{ minWidth: 240 }}
        maxTagCount="responsive"
        placeholder={t(kind === 'queues' ? 'reports.allQueues' : 'reports.allAgents')}
        value={value.ids}
        onChange={(ids) => onChange({ ...value, ids })}
        options={options}
        data-testid={`report-${kind}-ids`}
      />
      {kind === 'agents' && (
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t('reports.allChannels')}
          value={value.channel}
          onChange={(channel?: ReportChannel) => onChange({ ...value, channel })}
          options={REPORT_CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
          data-testid="report-agents-channel"
        />
      )}
      <Button type="primary" icon={<SearchOutlined />} onClick={onSearch} loading={loading} data-testid={`report-${kind}-search`}>
        {t('reports.run')}
      </Button>
      <Button icon={<DownloadOutlined />} onClick={() => onExport('xlsx')} data-testid={`report-${kind}-xlsx`}>
        {t('reports.export')} .xlsx
      </Button>
      <Button onClick={() => onExport('csv')} data-testid={`report-${kind}-csv`}>
        .csv
      </Button>
    </Space>
  );
}
