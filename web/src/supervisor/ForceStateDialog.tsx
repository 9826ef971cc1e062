// "Force state" asks first: whom, which state, and an optional reason that the agent's notice
// shows (and that stays as the busy or rest reason).
import { useEffect, useState } from 'react';
import { Input, Modal, Typography } from 'antd';
import type { ForcibleState, LiveAgent } from '../api/types';
import { useT } from '../i18n';
import { REASON_MAX } from '../workbench/model';

export interface ForceRequest {
  agent: LiveAgent;
  state: ForcibleState;
}

interface Props {
  request: ForceRequest | null;
  busy: boolean;
  onConfirm: (reason: string | undefined) => void;
  onCancel: () => void;
}

export default function ForceStateDialog({ request, busy, onConfirm, onCancel }: Props) {
  const t = useT();
  const [reason, setReason] = useState('');
  useEffect(() => setReason(''), [request]);
  const name = request ? request.agent.display_name || request.agent.login : '';
  const state = request ? t(`state.${request.state}`) : '';
  return (
    <Modal
      open={!!request}
      title={t('sv.force.title', { name, state })}
      okText={t('sv.force.ok', { state })}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => onConfirm(reason.trim() || undefined)}
      onCancel={onCancel}
      okButtonProps={{ 'data-testid': 'force-confirm' }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('sv.force.hint')}</Typography.Paragraph>
      <Input
        value={reason}
        maxLength={REASON_MAX}
        showCount
        placeholder={t('sv.force.reason')}
        onChange={(e) => setReason(e.target.value)}
        onPressEnter={() => onConfirm(reason.trim() || undefined)}
        data-testid="force-reason"
      />
    </Modal>
  );
}
