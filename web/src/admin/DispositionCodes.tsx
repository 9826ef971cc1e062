// The tenant's disposition codes (处理结果) on the parameters page: add, rename, retire or restore,
// then save the list whole. Codes once saved cannot be removed (contacts carry them).
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Input, Space, Table, Tag } from 'antd';
import { dispositionsApi } from '../api/endpoints';
import { errorText } from '../api/errors';
import type { DispositionCode } from '../api/types';
import { useT } from '../i18n';
import { useLoad } from '../util/useLoad';
import { forgetDispositions } from '../workbench/useDispositions';
import { addCode, canSave, CODE_MAX, LABEL_MAX, newCodeProblem, removeUnsaved, renameCode, setRetired } from './dispositions';

export default function DispositionCodes({ canEdit }: { canEdit: boolean }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const loaded = useLoad(() => dispositionsApi.list().then((r) => r.codes), [] as DispositionCode[]);
  const saved = loaded.data;
  const [list, setList] = useState<DispositionCode[] | null>(null);
  const [code, setCode] = useState('');
  const [label, setLabel] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const rows = list ?? saved;

  const add = () => {
    const why = newCodeProblem(rows, code, label);
    setProblem(why ? t(why) : null);
    if (why) return;
    setList(addCode(rows, code, label));
    setCode('');
    setLabel('');
  };

  const save = async () => {
    setBusy(true);
    try {
      const r = await dispositionsApi.put(rows);
      loaded.setData(r.codes);
      setList(null);
      forgetDispositions();
      message.success(t('disp.saved'));
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('disp.title')} style={{ maxWidth: 880, marginTop: 16 }} data-testid="dispositions">
      <Alert type="info" showIcon message={t('disp.help')} style={{ marginBottom: 12 }} />
      <Table<DispositionCode>
        size="small"
        rowKey="code"
        pagination={false}
        loading={loaded.loading}
        dataSource={rows}
        locale={{ emptyText: t('disp.empty') }}
        columns={[
          { title: t('disp.code'), dataIndex: 'code', width: 180 },
          {
            title: t('disp.label'),
            dataIndex: 'label',
            render: (v: string, c) =>
              canEdit ? (
                <Input value={v} maxLength={LABEL_MAX} onChange={(e) => setList(renameCode(rows, c.code, e.target.value))} data-testid={`disp-label-${c.code}`} />
              ) : (
                v
              ),
          },
          {
            title: t('disp.state'),
            width: 110,
            render: (_, c) => (c.retired ? <Tag>{t('disp.retired')}</Tag> : <Tag color="green">{t('disp.active')}</Tag>),
          },
          ...(canEdit
            ? [
                {
                  key: 'actions',
                  width: 160,
                  render: (_: unknown, c: DispositionCode) => (
                    <Space>
                      <Button size="small" onClick={() => setList(setRetired(rows, c.code, !c.retired))} data-testid={`disp-retire-${c.code}`}>
                        {t(c.retired ? 'disp.restore' : 'disp.retire')}
                      </Button>
                      {!saved.some((s) => s.code === c.code) && (
                        <Button size="small" danger onClick={() => setList(removeUnsaved(rows, saved, c.code))}>
                          {t('disp.remove')}
                        </Button>
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {canEdit && (
        <>
          <Space wrap style={{ marginTop: 12 }}>
            <Input placeholder={t('disp.code')} value={code} maxLength={CODE_MAX} onChange={(e) => setCode(e.target.value)} data-testid="disp-new-code" style={{ width: 160 }} />
            <Input placeholder={t('disp.label')} value={label} maxLength={LABEL_MAX} onChange={(e) => setLabel(e.target.value)} onPressEnter={add} data-testid="disp-new-label" style={{ width: 220 }} />
            <Button onClick={add} data-testid="disp-add">
              {t('disp.add')}
            </Button>
            <Button type="primary" disabled={!canSave(rows, saved)} loading={busy} onClick={() => void save()} data-testid="disp-save">
              {t('disp.save')}
            </Button>
          </Space>
          {problem && <Alert type="error" showIcon message={problem} style={{ marginTop: 8 }} data-testid="disp-problem" />}
        </>
      )}
    </Card>
  );
}
