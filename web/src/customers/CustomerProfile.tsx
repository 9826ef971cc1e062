// A customer's profile: the record (numbers, e-mails, host id, tags, notes, custom fields),
// edited whole by version; merging a duplicate found by search (customers.merge); and the
// service trail newest first — a call plays its recording where the caller may hear it, a chat
// opens its transcript, a ticket its page. A merged record shows where it went.
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { Alert, Button, Card, Descriptions, Space, Spin, Tag, Typography } from 'antd';
import { EditOutlined, MergeCellsOutlined } from '@ant-design/icons';
import { customersApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import type { CustomerFieldDef, CustomerRecord } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { localTime } from '../calls/model';
import FormModal from '../components/FormModal';
import { useI18n } from '../i18n';
import { CustomerFormItems } from './CustomerFormItems';
import { CustomerTrail } from './CustomerTrail';
import { MergeDialog } from './MergeDialog';
import { fieldLabel, fieldText, formOf, inputOf, type CustomerForm } from './model';

export default function CustomerProfilePage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <CustomerProfile id={id} onOpen={(other) => navigate(`/customers/${other}`)} />
      <Link to="/customers">{useI18n().t('customers.back')}</Link>
    </Space>
  );
}

/** The profile of one customer; `onOpen` follows a merged record to its survivor. */
export function CustomerProfile({ id, onOpen }: { id: string; onOpen: (id: string) => void }) {
  const { t, lang } = useI18n();
  const { hasPermission } = useAuth();
  const [c, setC] = useState<CustomerRecord | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [defs, setDefs] = useState<CustomerFieldDef[]>([]);
  const [editing, setEditing] = useState(false);
  const [merging, setMerging] = useState(false);
  const [trailKey, setTrailKey] = useState(0);

  const load = useCallback(() => {
    setError(null);
    customersApi.get(id).then(setC, setError);
  }, [id]);
  useEffect(load, [load]);
  useEffect(() => {
    customersApi.fields().then((d) => setDefs(d.fields), () => setDefs([]));
  }, []);

  if (error != null) return <Alert type="error" showIcon message={errorText(error, t)} />;
  if (!c) return <Spin />;
  const fields = c.fields;
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="customer-profile" data-id={c.id}>
      {c.merged_into && (
        <Alert
          type="info"
          showIcon
          data-testid="customer-merged"
          message={t('customers.mergedInto')}
          action={<Button onClick={() => c.merged_into && onOpen(c.merged_into)}>{t('customers.openSurvivor')}</Button>}
        />
      )}
      <Card
        title={<span data-testid="customer-title">{c.name ?? t('customers.unnamed')}</span>}
        extra={
          !c.merged_into && (
            <Space>
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="customer-edit">
                {t('common.edit')}
              </Button>
              {hasPermission('customers.merge') && (
                <Button icon={<MergeCellsOutlined />} onClick={() => setMerging(true)} data-testid="customer-merge">
                  {t('customers.merge')}
                </Button>
              )}
            </Space>
          )
        }
      >
        <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
          <Descriptions.Item label={t('customers.phones')}>
            <span data-testid="customer-phones-view">{c.phones.join(', ') || '—'}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('customers.emails')}>{c.emails.join(', ') || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('customers.hostId')}>{c.host_id ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('customers.tags')}>
            <span data-testid="customer-tags-view">{c.tags.length ? c.tags.map((x) => <Tag key={x}>{x}</Tag>) : '—'}</span>
          </Descriptions.Item>
          {defs.map((d) => (
            <Descriptions.Item key={d.code} label={fieldLabel(d, lang)}>
              <span data-testid={`customer-field-view-${d.code}`}>{fieldText(fields[d.code])}</span>
            </Descriptions.Item>
          ))}
          <Descriptions.Item label={t('customers.notes')} span={2}>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }} data-testid="customer-notes-view">
              {c.notes || '—'}
            </Typography.Paragraph>
          </Descriptions.Item>
          <Descriptions.Item label={t('customers.created')}>{localTime(c.created_at)}</Descriptions.Item>
          <Descriptions.Item label={t('customers.updated')}>{localTime(c.updated_at)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t('customers.trail')}>
        <CustomerTrail key={`${c.id}:${trailKey}`} customerId={c.id} />
      </Card>
      <FormModal<CustomerForm>
        open={editing}
        formKey={`${c.id}:${c.version}`}
        title={t('customers.edit')}
        okTestId="customer-save"
        initialValues={formOf(c)}
        successText={t('common.saved')}
        onSubmit={async (v) => setC(await customersApi.update(c.id, { version: c.version, ...inputOf(v, defs) }))}
        onClose={() => setEditing(false)}
      >
        <CustomerFormItems defs={defs} verified={c.host_id != null} />
      </FormModal>
      <MergeDialog
        open={merging}
        into={c}
        onClose={() => setMerging(false)}
        onMerged={(merged) => {
          setC(merged);
          setTrailKey((k) => k + 1);
        }}
      />
    </Space>
  );
}
