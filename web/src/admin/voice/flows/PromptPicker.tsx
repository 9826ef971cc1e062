// Prompts for a node: picked from the built-in and the uploaded ones, in order, each with a
// listen button.
import { App as AntApp, Button, Select, Space } from 'antd';
import { SoundOutlined } from '@ant-design/icons';
import { errorText } from '../../../api/errors';
import { useT } from '../../../i18n';
import { playPrompt } from './playPrompt';

export interface PromptChoices {
  builtin: { value: string; label: string }[];
  uploaded: { value: string; label: string }[];
}

export function promptLabel(choices: PromptChoices, prompt: string): string {
  return [...choices.builtin, ...choices.uploaded].find((o) => o.value === prompt)?.label ?? prompt;
}

export default function PromptPicker(props: { value: string[]; onChange: (v: string[]) => void; choices: PromptChoices; testId: string }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const { value, onChange, choices, testId } = props;
  const listen = (p: string) => playPrompt(p).catch((e: unknown) => message.error(errorText(e, t)));
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={4}>
      <Select
        mode="multiple"
        value={value}
        onChange={onChange}
        data-testid={testId}
        optionFilterProp="label"
        options={[
          { label: t('voice.prompt.builtin'), options: choices.builtin },
          { label: t('voice.prompt.uploadedGroup'), options: choices.uploaded },
        ]}
      />
      {value.length > 0 && (
        <Space wrap size={4}>
          {value.map((p) => (
            <Button key={p} size="small" icon={<SoundOutlined />} onClick={() => void listen(p)} aria-label={t('voice.flow.play')}>
              {promptLabel(choices, p)}
            </Button>
          ))}
        </Space>
      )}
    </Space>
  );
}
