// Merging a duplicate into the customer shown: the duplicate is found by search, the union
// previewed, and the merge confirmed; a refusal (itself, already merged) is shown as the server
// explains it.
import { useState } from 'react';
import { Alert, App as AntApp, Descriptions, Input, List, Modal, Typography } from 'antd';
import { customersApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import type { CustomerRecord } from '../api/types';
import { useT } from '../i18n';
import { tid } from '../util/testid';
import { customerQuery, mergePreview } from './model';

export function MergeDialog({ open, into, onClose, onMerged }: {
  open: boolean;
  into: CustomerRecord;
  onClose: () => void;
  onMerged: (c: CustomerRecord) => void;
}) {
  const t = useT();
  const { message } = AntApp.useApp();
  const [found, setFound] = useState<CustomerRecord[]>([]);
  const [picked, setPicked] = useState<CustomerRecord | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const search = async (q: string) => {
    setPicked(null);
    try {
      const page = await customersApi.list(customerQuery(q, 0, 20));
      setFound(page.items.filter((c) => c.id !== into.id));
      setError(null);
    } catch (e) {
      setError(e);
    }
  };

  const merge = async () => {
    if (!picked) return;
    setBusy(true);
    try {
      const merged = await customersApi.merge(into.id, picked.id);
      message.success(t('customers.merged'));
      onMerged(merged);
      onClose();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const preview = picked ? mergePreview(into, picked) : null;
  return (
    <Modal
      open={open}
      title={t('customers.mergeTitle')}
      onCancel={onClose}
      onOk={() => void merge()}
      okText={t('customers.merge')}
      okButtonProps={{ disabled: !picked, ...tid('merge-confirm') }}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      destroyOnHidden
      width={640}
    >
      <Typography.Paragraph type="secondary">{t('customers.mergeHint')}</Typography.Paragraph>
      <Input.Search placeholder={t('customers.searchHint')} onSearch={(v) => void search(v)} enterButton data-testid="merge-search" />
      {error != null && <Alert type="error" showIcon message={errorText(error, t)} style={{ marginTop: 12 }} />}
      <List<CustomerRecord>
        style={{ marginTop: 12 }}
        size="small"
        bordered
        dataSource={found}
        locale={{ emptyText: t('customers.empty') }}
        renderItem={(c) => (
          <List.Item
            onClick={() => setPicked(c)}
            style={{ cursor: 'pointer', background: picked?.id === c.id ? 'var(--ant-color-primary-bg, #e6f4ff)' : undefined }}
            data-testid="merge-candidate"
          >
            {c.name ?? t('customers.unnamed')} · {c.phones.join(', ') || c.emails.join(', ') || '—'}
          </List.Item>
        )}
      />
      {preview && (
        <Descriptions size="small" column={1} bordered style={{ marginTop: 12 }} title={t('customers.mergePreview')}>
          <Descriptions.Item label={t('customers.name')}>{preview.name ?? t('customers.unnamed')}</Descriptions.Item>
          <Descriptions.Item label={t('customers.phones')}>{preview.phones.join(', ') || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('customers.emails')}>{preview.emails.join(', ') || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('customers.tags')}>{preview.tags.join(', ') || '—'}</Descriptions.Item>
        </Descriptions>
      )}
    </Modal>
  );
}
