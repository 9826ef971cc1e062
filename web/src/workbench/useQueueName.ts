// A contact's queue by name. My bound queues are in `GET /agent`; a contact transferred to me
// from a queue I am not bound to (a colleague picked me) is named from `GET /queues` instead.
import { useEffect, useState } from 'react';
import { queuesApi } from '../api/endpoints';
import type { AgentStatus } from '../api/types';

export function useQueueName(status: AgentStatus | null, queueId: string): string {
  const bound = status?.bound_queues.find((q) => q.id === queueId)?.name;
  const [other, setOther] = useState<{ id: string; name: string } | null>(null);

  useEffect(() => {
    if (bound) return;
    let alive = true;
    queuesApi.list().then(
      (qs) => {
        const q = qs.find((x) => x.id === queueId);
        if (alive && q) setOther({ id: q.id, name: q.name });
      },
      () => {},
    );
    return () => {
      alive = false;
    };
  }, [bound, queueId]);

  return bound ?? (other?.id === queueId ? other.name : queueId);
}
