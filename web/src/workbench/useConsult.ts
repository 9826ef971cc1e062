// The consult phase of one connected call (see consult.ts): its reducer fed by the call's
// `contact.media` events, and a notice when the consult ends without my asking (the colleague
// did not answer, or hung up).
import { useReducer, useRef, type Dispatch } from 'react';
import type { LiveEvent } from '../api/types';
import { useLive } from '../util/useLive';
import { CONSULT_IDLE, consultEventOf, consultReducer, type ConsultAction, type ConsultState } from './consult';

export interface ConsultHandle {
  state: ConsultState;
  dispatch: Dispatch<ConsultAction>;
  /** I am ending or completing the consult myself: its end is no news to me. */
  leaving: { current: boolean };
}

export function useConsult(contactId: string, onEndedByOthers: () => void): ConsultHandle {
  const [state, dispatch] = useReducer(consultReducer, CONSULT_IDLE);
  const leaving = useRef(false);
  const phase = useRef(state.phase);
  phase.current = state.phase;
  useLive({
    onEvent: (e: LiveEvent) => {
      const event = consultEventOf(e, contactId);
      if (!event) return;
      if (event === 'consult_started') leaving.current = false;
      if (event === 'consult_ended' && phase.current !== 'idle' && !leaving.current) onEndedByOthers();
      dispatch({ type: 'event', event });
    },
  });
  return { state, dispatch, leaving };
}
