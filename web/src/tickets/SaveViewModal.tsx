// Save the current tab, filters and sort as a named view (shared views need tickets.manage).
import { Alert, Checkbox, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { errorText } from '../api/errors';
import { useT } from '../i18n';
import { tid } from '../util/testid';
import { VIEW_NAME_MAX } from './actions';
import { ticketsApi } from './api';
import { viewFilters } from './query';
import type { TicketFilters, TicketSort, TicketTab, TicketView } from './types';

export const VIEW_COLUMNS = ['number', 'title', 'status', 'priority', 'customer', 'phone', 'assignee_id', 'group_id', 'created_at', 'updated_at', 'due_at', 'flag'];

interface Props {
  open: boolean;
  tab: TicketTab | undefined;
  filters: TicketFilters;
  sort: TicketSort | null;
  canShare: boolean;
  onClose: () => void;
  onSaved: (v: TicketView) => void;
}

export default function SaveViewModal({ open, tab, filters, sort, canShare, onClose, onSaved }: Props) {
  const t = useT();
  const [form] = Form.useForm<{ name: string; shared: boolean }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (v: { name: string; shared: boolean }) => {
    setBusy(true);
    setError(null);
    try {
      const view = await ticketsApi.createView({
        name: v.name.trim(),
        shared: canShare && !!v.shared,
        filters: viewFilters(tab, filters),
        columns: VIEW_COLUMNS,
        sort,
      });
      onSaved(view);
    } catch (e) {
      setError(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('tk.view.saveTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={tid('ticket-view-save-ok')}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ name: '', shared: false }} preserve={false}>
        <Form.Item
          name="name"
          label={t('tk.view.name')}
          rules={[
            { required: true, whitespace: true, message: t('tk.v.required') },
            { max: VIEW_NAME_MAX, message: t('tk.v.maxChars', { n: VIEW_NAME_MAX }) },
          ]}
        >
          <Input autoFocus maxLength={VIEW_NAME_MAX} data-testid="ticket-view-name" />
        </Form.Item>
        {canShare && (
          <Form.Item name="shared" valuePropName="checked" extra={t('tk.view.sharedHelp')}>
            <Checkbox data-testid="ticket-view-shared">{t('tk.view.shared')}</Checkbox>
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
