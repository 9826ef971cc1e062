// The connection bar (接续条) of the agent workbench: agent, sign-in mode, state, controls.
// This is the foundation shell; the routing/engine work fills in state, timers and call buttons.
import { Badge, Button, Space, Tag, Tooltip, Typography } from 'antd';
import { CoffeeOutlined, LoginOutlined, PauseCircleOutlined } from '@ant-design/icons';
import type { Me } from '../api/types';
import { useT } from '../i18n';

export default function ConnectionBar({ me }: { me: Me }) {
  const t = useT();
  const mode = me.effective_sign_in_mode;
  return (
    <div className="conn-bar" data-testid="connection-bar" role="toolbar" aria-label={t('wb.bar.label')}>
      <div className="conn-bar-item">
        <span className="conn-bar-label">{t('wb.bar.agent')}</span>
        <Typography.Text strong data-testid="connection-bar-agent">
          {me.display_name || me.login}
        </Typography.Text>
      </div>
      <div className="conn-bar-item">
        <span className="conn-bar-label">{t('wb.bar.signInMode')}</span>
        <span>
          <Tag color={mode === 'automatic' ? 'blue' : 'purple'} data-testid="connection-bar-mode" data-mode={mode}>
            {t(mode === 'specified' ? 'wb.bar.mode.specified' : 'wb.bar.mode.automatic')}
          </Tag>
        </span>
      </div>
      {me.effective_auto_answer !== undefined && (
        <div className="conn-bar-item">
          <span className="conn-bar-label">{t('wb.bar.autoAnswer')}</span>
          <span data-testid="connection-bar-auto-answer">{t(me.effective_auto_answer ? 'wb.bar.on' : 'wb.bar.off')}</span>
        </div>
      )}
      <div className="conn-bar-item" data-testid="connection-bar-state" data-state="signed_out">
        <span className="conn-bar-label">{t('wb.bar.state')}</span>
        <Badge status="default" text={t('wb.bar.signedOut')} />
      </div>
      <div className="conn-bar-actions">
        <Tooltip title={t('wb.bar.pending')}>
          <Space>
            <Button type="primary" icon={<LoginOutlined />} disabled data-testid="connection-bar-sign-in">
              {t('wb.bar.signIn')}
            </Button>
            <Button icon={<PauseCircleOutlined />} disabled>
              {t('wb.bar.busy')}
            </Button>
            <Button icon={<CoffeeOutlined />} disabled>
              {t('wb.bar.rest')}
            </Button>
          </Space>
        </Tooltip>
      </div>
    </div>
  );
}
