// Transfer a chat or a call (M4): to a queue of its channel, or to a colleague signed in to one
// (any agent may pick one: `GET /agent/colleagues`); a note for the next agent is required. A
// chat's history goes along; a call's customer waits in the queue with music or rings the
// colleague's phone. A call may also be handed out of the center (V5): to an outside number
// (with `calls.outbound`: the number and one of my caller numbers, as on the dial pad), into
// an IVR flow at its start or a node, or to the satisfaction survey; I leave it and wrap up.
import { useEffect, useMemo, useState } from 'react';
import { Alert, Form, Input, Modal, Radio, Select, Typography } from 'antd';
import { agentApi, contactsApi, queuesApi } from '../api/endpoints';
import { ApiError } from '../api/client';
import type { AgentIvrFlow, Contact, Queue } from '../api/types';
import type { TFunc } from '../i18n';
import { StateBadge } from '../components/Timers';
import { useDialer } from './Dialer';
import { CallerNumberSelect, OutsideNumberInput, useCallerNumbers } from './OutsideNumber';
import {
  handsOut, ivrNodeChoices, TRANSFER_KIND_LABEL, TRANSFER_NOTE_MAX, transferAgents, transferCall, transferErrorText, transferKinds,
  transferMissing, transferQueues, transferTexts, type TransferKind,
} from './transfer';
import { useColleagues } from './useColleagues';

interface Props {
  open: boolean;
  contact: Contact;
  t: TFunc;
  onClose: () => void;
  /** Done: the contact went to `kind` (a hand-out leaves me in wrap-up). */
  onDone: (kind: TransferKind) => void;
}

export default function TransferDialog({ open, contact, t, onClose, onDone }: Props) {
  const [queues, setQueues] = useState<Queue[]>([]);
  const { colleagues } = useColleagues(open);
  const canCallOut = useDialer() !== null;
  const kinds = transferKinds(contact.channel, canCallOut);
  const [target, setTarget] = useState<TransferKind>('queue');
  const [queueId, setQueueId] = useState<string | undefined>();
  const [agentId, setAgentId] = useState<string | undefined>();
  const [note, setNote] = useState('');
  const [number, setNumber] = useState('');
  const callerNumbers = useCallerNumbers(open && target === 'number');
  const [flows, setFlows] = useState<AgentIvrFlow[] | null>(null);
  const [flowId, setFlowId] = useState<string | undefined>();
  const [node, setNode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [errorCode, setErrorCode] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [touched, setTouched] = useState(false);

  // A fresh form each time the dialog opens (adjusting state during render, not in an effect).
  const [wasOpen, setWasOpen] = useState(false);
  if (open !== wasOpen) {
    setWasOpen(open);
    if (open) {
      setError(null);
      setTouched(false);
      setNote('');
      setAgentId(undefined);
      setTarget('queue');
      setNumber('');
      setNode('');
    }
  }

  // The targets, loaded while the dialog is open.
  useEffect(() => {
    if (!open) return;
    let alive = true;
    queuesApi.list().then(
      (qs) => {
        if (!alive) return;
        const mine = transferQueues(qs, contact.channel);
        setQueues(mine);
        setQueueId(mine.find((q) => q.id === contact.queue_id)?.id ?? mine[0]?.id);
      },
      (e) => alive && setError(transferErrorText(e, t)),
    );
    return () => {
      alive = false;
    };
  }, [open, contact.queue_id, contact.channel, t]);

  // The IVR flows, once that kind is picked.
  const wantFlows = open && target === 'ivr';
  useEffect(() => {
    if (!wantFlows) return;
    let alive = true;
    agentApi.ivrFlows().then(
      (list) => {
        if (!alive) return;
        setFlows(list);
        setFlowId((cur) => (cur && list.some((f) => f.id === cur) ? cur : list[0]?.id));
      },
      (e) => {
        if (!alive) return;
        setFlows([]);
        setError(transferErrorText(e, t));
      },
    );
    return () => {
      alive = false;
    };
  }, [wantFlows, t]);

  const texts = transferTexts(contact.channel);
  const agents = useMemo(() => transferAgents(colleagues, queues.map((q) => q.id), contact.channel), [colleagues, queues, contact.channel]);
  const form = { kind: target, queueId, agentId, note, number, caller: callerNumbers.caller, flowId, node };
  const missing = transferMissing(form);
  const nodes = ivrNodeChoices(flows?.find((f) => f.id === flowId));

  const pick = (kind: TransferKind) => {
    setTarget(kind);
    setTouched(false);
    setError(null);
    setErrorCode(null);
  };

  const submit = async () => {
    setTouched(true);
    const call = transferCall(form);
    if (!call) return;
    setBusy(true);
    setError(null);
    setErrorCode(null);
    try {
      if (call.kind === 'number') await contactsApi.transferNumber(contact.id, call.body);
      else if (call.kind === 'ivr') await contactsApi.transferIvr(contact.id, call.body);
      else if (call.kind === 'survey') await contactsApi.transferSurvey(contact.id);
      else await contactsApi.transfer(contact.id, call.body);
      onDone(call.kind);
    } catch (e) {
      setError(transferErrorText(e, t));
      setErrorCode(e instanceof ApiError ? e.code : 'error');
    } finally {
      setBusy(false);
    }
  };

  const needs = (what: typeof missing) => touched && missing === what;

  return (
    <Modal
      open={open}
      title={t(texts.title)}
      okText={t('wb.chat.transfer.ok')}
      cancelText={t('common.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'wb-transfer-ok' }}
      data-testid="wb-transfer-dialog"
    >
      <Form layout="vertical" requiredMark={false} data-testid="wb-transfer-form">
        <Form.Item label={t('wb.chat.transfer.to')} style={{ marginBottom: 12 }}>
          <Radio.Group
            optionType="button"
            value={target}
            onChange={(e) => pick(e.target.value as TransferKind)}
            options={kinds.map((k) => ({ value: k, label: <span data-testid={`wb-transfer-kind-${k}`}>{t(TRANSFER_KIND_LABEL[k])}</span> }))}
            data-testid="wb-transfer-kind"
          />
        </Form.Item>
        {target === 'queue' && (
          <Form.Item
            label={t('wb.chat.transfer.queue')}
            required
            validateStatus={needs('target') ? 'error' : undefined}
            help={needs('target') ? t('wb.chat.transfer.needTarget') : undefined}
            extra={t(texts.queueHint)}
          >
            <Select
              value={queueId}
              onChange={setQueueId}
              placeholder={t(texts.pickQueue)}
              options={queues.map((q) => ({ value: q.id, label: q.name }))}
              data-testid="wb-transfer-queue"
            />
          </Form.Item>
        )}
        {target === 'agent' && (
          <Form.Item
            label={t('wb.chat.transfer.agent')}
            required
            validateStatus={needs('target') ? 'error' : undefined}
            help={needs('target') ? t('wb.chat.transfer.needTarget') : agents.length === 0 ? t(texts.noAgents) : undefined}
          >
            <Select
              value={agentId}
              onChange={setAgentId}
              placeholder={t('wb.chat.transfer.pickAgent')}
              options={agents.map((a) => ({
                value: a.id,
                disabled: a.disabled,
                label: (
                  <span className="cw-agent-option" data-testid={`wb-transfer-agent-${a.id}`} data-disabled={String(a.disabled)}>
                    <span>{a.name}</span>
                    <StateBadge state={a.state} />
                  </span>
                ),
              }))}
              data-testid="wb-transfer-agent"
            />
          </Form.Item>
        )}
        {target === 'number' && (
          <>
            <Form.Item
              label={t('wb.call.transfer.numberLabel')}
              required
              validateStatus={needs('number') ? 'error' : undefined}
              help={needs('number') ? t('dial.invalidNumber') : undefined}
            >
              <OutsideNumberInput
                value={number}
                onChange={(n) => {
                  setNumber(n);
                  setError(null);
                  setErrorCode(null);
                }}
                onPressEnter={() => void submit()}
                t={t}
                testId="wb-transfer-number"
              />
            </Form.Item>
            <Form.Item
              label={t('dial.callerNumber')}
              required
              validateStatus={needs('caller') ? 'error' : undefined}
              help={needs('caller') ? t('wb.call.transfer.needCaller') : undefined}
            >
              <CallerNumberSelect handle={callerNumbers} t={t} testId="wb-transfer-caller" noneTestId="wb-transfer-no-callers" />
            </Form.Item>
          </>
        )}
        {target === 'ivr' && (
          <>
            <Form.Item
              label={t('wb.call.transfer.flow')}
              required
              validateStatus={needs('flow') ? 'error' : undefined}
              help={needs('flow') ? t('wb.chat.transfer.needTarget') : flows?.length === 0 ? t('wb.call.transfer.noFlows') : undefined}
            >
              <Select
                value={flowId}
                onChange={(v: string) => {
                  setFlowId(v);
                  setNode('');
                }}
                loading={flows === null}
                placeholder={t('wb.call.transfer.pickFlow')}
                options={(flows ?? []).map((f) => ({ value: f.id, label: <span data-testid={`wb-transfer-flow-${f.id}`}>{f.name}</span> }))}
                data-testid="wb-transfer-flow"
              />
            </Form.Item>
            <Form.Item label={t('wb.call.transfer.node')} extra={t('wb.call.transfer.nodeHint')}>
              <Select
                value={node}
                onChange={(v: string) => setNode(v)}
                disabled={!flowId}
                options={nodes.map((n) => ({
                  value: n.value,
                  label: (
                    <span data-testid={`wb-transfer-node-${n.value || 'start'}`}>
                      {n.start ? t('wb.call.transfer.nodeStart', { label: n.label }) : n.label}
                    </span>
                  ),
                }))}
                data-testid="wb-transfer-node"
              />
            </Form.Item>
          </>
        )}
        {target === 'survey' && (
          <Typography.Paragraph type="secondary" data-testid="wb-transfer-survey-hint">
            {t('wb.call.transfer.surveyHint')}
          </Typography.Paragraph>
        )}
        {handsOut(target) ? (
          <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('wb.call.transfer.handOutHint')} data-testid="wb-transfer-handout-hint" />
        ) : (
          <Form.Item
            label={t('wb.chat.transfer.note')}
            required
            validateStatus={needs('note') ? 'error' : undefined}
            help={needs('note') ? t('wb.chat.transfer.needNote') : undefined}
            style={{ marginBottom: 24 }}
          >
            <Input.TextArea
              value={note}
              onChange={(e) => setNote(e.target.value)}
              maxLength={TRANSFER_NOTE_MAX}
              showCount
              autoSize={{ minRows: 3, maxRows: 6 }}
              placeholder={t('wb.chat.transfer.notePlaceholder')}
              data-testid="wb-transfer-note"
            />
          </Form.Item>
        )}
        {error && <Alert type="error" showIcon message={error} data-testid="wb-transfer-error" data-code={errorCode ?? undefined} />}
      </Form>
    </Modal>
  );
}
