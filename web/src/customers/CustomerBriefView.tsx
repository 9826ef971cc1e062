// What the workbench shows of a contact's customer (the screen pop, the chat panel): name,
// tags and notes, and the full profile — editable — in a drawer beside the contact.
import { useState } from 'react';
import { Button, Drawer, Space, Tag, Typography } from 'antd';
import { IdcardOutlined } from '@ant-design/icons';
import type { CustomerBrief } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { useT } from '../i18n';
import { CustomerProfile } from './CustomerProfile';

export function CustomerBriefView({ brief }: { brief: CustomerBrief | null | undefined }) {
  const t = useT();
  const { hasPermission } = useAuth();
  const [open, setOpen] = useState<string | null>(null);
  if (!brief) return null;
  return (
    <div className="customer-brief" data-testid="customer-brief" data-id={brief.id}>
      <Space wrap size={4}>
        <Typography.Text strong>{brief.name ?? t('customers.unnamed')}</Typography.Text>
        {brief.tags.map((x) => (
          <Tag key={x}>{x}</Tag>
        ))}
        {hasPermission('customers.work') && (
          <Button size="small" icon={<IdcardOutlined />} onClick={() => setOpen(brief.id)} data-testid="customer-brief-open">
            {t('customers.openProfile')}
          </Button>
        )}
      </Space>
      {brief.notes && (
        <Typography.Paragraph type="secondary" ellipsis={{ rows: 2, expandable: true }} style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
          {brief.notes}
        </Typography.Paragraph>
      )}
      <Drawer open={open != null} onClose={() => setOpen(null)} width={860} title={t('customers.openProfile')} destroyOnHidden>
        {open && <CustomerProfile id={open} onOpen={setOpen} />}
      </Drawer>
    </div>
  );
}
