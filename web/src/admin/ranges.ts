// The allowed range of each number the admin pages edit, as the server checks it
// (crates/engine/src/params.rs and queue.rs: `bounded_number!`). The inputs do not clamp: a value
// outside is refused with its range instead of being quietly changed and saved.
import type { Rule } from 'antd/es/form';
import type { TFunc } from '../i18n';

export const RANGES = {
  wrap_up_limit_s: [0, 86_400],
  offer_timeout_s: [5, 300],
  no_answer_limit: [0, 100],
  task_limit: [1, 50],
  familiar_wait_s: [0, 600],
  recall_limit_s: [0, 3600],
  chat_limit: [0, 50],
  priority: [0, 100],
  skill_level: [1, 10],
} as const satisfies Record<string, readonly [number, number]>;

export type Ranged = keyof typeof RANGES;

/** "Allowed range: 5–300". */
export function rangeText(t: TFunc, name: Ranged): string {
  const [min, max] = RANGES[name];
  return t('error.detail.range', { min, max });
}

/** A required whole number inside its range, with the range as the message. */
export function rangeRule(t: TFunc, name: Ranged): Rule {
  const [min, max] = RANGES[name];
  return { required: true, type: 'integer', min, max, message: rangeText(t, name) };
}
