// What the ticket type editor (TicketTypeEdit.tsx) hands each of its tabs (FieldsTab,
// WorkflowTab, RulesTab). Its own module so that the tabs do not import the page that imports
// them.
import type { Queue } from '../../api/types';
import type { TicketType } from '../../tickets/types';

/** Messages per row ref (`field:x`, `action:y`…), for marking rows. */
export type Marks = Map<string, string[]>;

export interface TabProps {
  draft: TicketType;
  onChange: (next: TicketType) => void;
  marks: Marks;
  queues: Queue[];
}
