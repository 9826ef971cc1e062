// The customer directory (客户): search by name, number in any written form, e-mail, tag, note
// or field (Chinese included), newest-updated first; a new customer; each row opens the profile.
import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Alert, App as AntApp, Button, Card, Input, Space, Table, Tag } from 'antd';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { customersApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import type { CustomerFieldDef, CustomerRecord } from '../api/types';
import { localTime } from '../calls/model';
import { useAuth } from '../auth/AuthContext';
import FormModal from '../components/FormModal';
import ImportModal from '../components/ImportModal';
import { downloadWithToken } from '../util/download';
import { useT } from '../i18n';
import { CustomerFormItems } from './CustomerFormItems';
import { customerQuery, formOf, inputOf, type CustomerForm } from './model';

export default function CustomersPage() {
  const t = useT();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [items, setItems] = useState<CustomerRecord[]>([]);
  const [more, setMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);
  const [defs, setDefs] = useState<CustomerFieldDef[]>([]);
  const [importing, setImporting] = useState(false);
  const { hasPermission } = useAuth();
  const { message } = AntApp.useApp();
  const sheets = hasPermission('customers.import_export');

  const exportFile = async (format: 'xlsx' | 'csv') => {
    const query = new URLSearchParams({ format, lang: t.lang === 'en' ? 'en' : 'zh-CN' });
    if (search.trim()) query.set('q', search.trim());
    try {
      await downloadWithToken(customersApi.exportPath(`?${query.toString()}`), `customers.${format}`);
    } catch (e) {
      message.error(errorText(e, t));
    }
  };

  const load = useCallback(
    async (offset: number) => {
      setLoading(true);
      try {
        const page = await customersApi.list(customerQuery(search, offset));
        setItems((prev) => (offset ? [...prev, ...page.items] : page.items));
        setMore(page.has_more);
        setError(null);
      } catch (e) {
        setError(e);
      } finally {
        setLoading(false);
      }
    },
    [search],
  );

  useEffect(() => {
    void load(0);
  }, [load]);
  useEffect(() => {
    customersApi.fields().then((d) => setDefs(d.fields), () => setDefs([]));
  }, []);

  return (
    <Card
      title={t('customers.title')}
      data-testid="customers-page"
      extra={
        <Space wrap>
          {sheets && (
            <>
              <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="customers-import">
                {t('customers.import')}
              </Button>
              <Button icon={<DownloadOutlined />} onClick={() => void exportFile('xlsx')} data-testid="customers-export">
                {t('customers.export')} .xlsx
              </Button>
              <Button onClick={() => void exportFile('csv')}>.csv</Button>
            </>
          )}
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="customers-new">
            {t('customers.new')}
          </Button>
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          placeholder={t('customers.searchHint')}
          style={{ width: 360 }}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onSearch={(v) => setSearch(v)}
          enterButton={t('customers.search')}
          data-testid="customers-search"
        />
      </Space>
      {error != null && <Alert type="error" showIcon message={errorText(error, t)} style={{ marginBottom: 16 }} />}
      <Table<CustomerRecord>
        rowKey="id"
        loading={loading}
        dataSource={items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="customers-table"
        locale={{ emptyText: t('customers.empty') }}
        onRow={(c) =>
          ({ onClick: () => navigate(`/customers/${c.id}`), style: { cursor: 'pointer' }, 'data-testid': 'customer-row', 'data-id': c.id }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          { title: t('customers.name'), dataIndex: 'name', render: (v: string | null) => v ?? t('customers.unnamed') },
          { title: t('customers.phones'), dataIndex: 'phones', render: (v: string[]) => v.join(', ') || '—' },
          { title: t('customers.emails'), dataIndex: 'emails', render: (v: string[]) => v.join(', ') || '—' },
          { title: t('customers.tags'), dataIndex: 'tags', render: (v: string[]) => v.map((x) => <Tag key={x}>{x}</Tag>) },
          { title: t('customers.updated'), dataIndex: 'updated_at', render: (v: string) => localTime(v) },
        ]}
      />
      {more && (
        <div style={{ textAlign: 'center', marginTop: 16 }}>
          <Button onClick={() => void load(items.length)} loading={loading}>
            {t('customers.more')}
          </Button>
        </div>
      )}
      <ImportModal
        open={importing}
        title={t('customers.import')}
        onClose={() => setImporting(false)}
        onDone={() => void load(0)}
        send={customersApi.import}
        templates={[{ label: t('import.templateXlsx'), path: customersApi.templatePath, filename: 'customer-import.xlsx', testId: 'customers-template' }]}
      />
      <FormModal<CustomerForm>
        open={creating}
        formKey="new"
        title={t('customers.new')}
        okText={t('common.create')}
        okTestId="customer-save"
        initialValues={formOf(null)}
        successText={t('common.created')}
        onSubmit={async (v) => {
          const c = await customersApi.create(inputOf(v, defs));
          navigate(`/customers/${c.id}`);
        }}
        onClose={() => setCreating(false)}
      >
        <CustomerFormItems defs={defs} verified={false} />
      </FormModal>
    </Card>
  );
}
