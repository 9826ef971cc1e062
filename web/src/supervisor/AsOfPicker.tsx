// The wallboard's "as of" moment: a date and time in the past (the server rebuilds the board
// as it stood then from the stored events); cleared, the board is live again.
import { DatePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useT } from '../i18n';

export default function AsOfPicker({ value, onChange }: { value: Dayjs | null; onChange: (v: Dayjs | null) => void }) {
  const t = useT();
  return (
    <DatePicker
      showTime={{ format: 'HH:mm' }}
      format="YYYY-MM-DD HH:mm"
      value={value}
      placeholder={t('board.asOf')}
      disabledDate={(d) => d.isAfter(dayjs(), 'day')}
      onChange={(v) => onChange(v && v.isAfter(dayjs()) ? dayjs() : v)}
      data-testid="board-as-of-picker"
      style={{ width: 200 }}
    />
  );
}
