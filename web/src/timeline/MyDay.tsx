// "My day" in the workbench (X3): the agent's own states and contacts of a day as a strip.
import { useState } from 'react';
import { Button } from 'antd';
import { FieldTimeOutlined } from '@ant-design/icons';
import { useT } from '../i18n';
import AgentDayDrawer, { type DayOf } from './AgentDayDrawer';

export default function MyDay({ name }: { name: string }) {
  const t = useT();
  const [of, setOf] = useState<DayOf | null>(null);
  return (
    <div className="my-day">
      <Button size="small" type="link" icon={<FieldTimeOutlined />} onClick={() => setOf({ agentId: null, name })} data-testid="my-day">
        {t('timeline.myDay')}
      </Button>
      <AgentDayDrawer of={of} onClose={() => setOf(null)} />
    </div>
  );
}
