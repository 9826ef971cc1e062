import { Empty, Typography } from 'antd';
import { useAuth } from '../auth/AuthContext';
import { useT } from '../i18n';
import ConnectionBar from './ConnectionBar';

export default function Workbench() {
  const t = useT();
  const { me } = useAuth();
  if (!me) return null;
  return (
    <div data-testid="workbench">
      <ConnectionBar me={me} />
      <div className="work-area" data-testid="work-area">
        <Empty
          description={
            <>
              <Typography.Title level={5} style={{ marginBottom: 4 }}>
                {t('wb.emptyTitle')}
              </Typography.Title>
              <Typography.Text type="secondary">{t('wb.emptyDesc')}</Typography.Text>
            </>
          }
        />
      </div>
    </div>
  );
}
