// Names for user ids and skill groups (pure): people from `GET /users/directory` (open to
// anyone working contacts or tickets), groups from `GET /queues`; an id nobody names (a user
// removed since) shows as a short id.
import type { LiveAgent, Me, Queue, User } from '../api/types';
import { shortId } from './trail';

export interface Person {
  id: string;
  name: string;
  /** False when only the id is known. */
  known: boolean;
}

export interface Directory {
  people: Person[];
  queues: Queue[];
  userName: (id: string | null | undefined) => string;
  groupName: (id: string | null | undefined) => string;
}

export interface DirectorySources {
  me?: Pick<Me, 'id' | 'display_name' | 'login'> | null;
  users?: Pick<User, 'id' | 'display_name' | 'login' | 'active'>[] | null;
  agents?: Pick<LiveAgent, 'id' | 'display_name' | 'login'>[] | null;
  queues?: Queue[] | null;
}

export function buildDirectory({ me, users, agents, queues }: DirectorySources): Directory {
  const names = new Map<string, string>();
  const inactive = new Set<string>();
  for (const a of agents ?? []) names.set(a.id, a.display_name || a.login);
  for (const u of users ?? []) {
    names.set(u.id, u.display_name || u.login);
    if (u.active === false) inactive.add(u.id);
  }
  if (me) names.set(me.id, me.display_name || me.login);
  const ids = new Set<string>(names.keys());
  for (const q of queues ?? []) for (const a of q.agents ?? []) ids.add(a.user_id);
  const people: Person[] = [...ids]
    .filter((id) => !inactive.has(id))
    .map((id) => ({ id, name: names.get(id) ?? shortId(id), known: names.has(id) }))
    .sort((a, b) => Number(b.known) - Number(a.known) || a.name.localeCompare(b.name, 'zh-CN'));
  const queueNames = new Map((queues ?? []).map((q) => [q.id, q.name]));
  return {
    people,
    queues: queues ?? [],
    userName: (id) => (id ? (names.get(id) ?? shortId(id)) : ''),
    groupName: (id) => (id ? (queueNames.get(id) ?? shortId(id)) : ''),
  };
}

/** Select options for people, with extra ids (e.g. the ticket's cc list) that the directory does not know. */
export function peopleOptions(dir: Directory, extraIds: (string | null | undefined)[] = [], excludeIds: string[] = []): { value: string; label: string }[] {
  const seen = new Set<string>();
  const out: { value: string; label: string }[] = [];
  const add = (id: string, name: string) => {
    if (seen.has(id) || excludeIds.includes(id)) return;
    seen.add(id);
    out.push({ value: id, label: name });
  };
  for (const p of dir.people) add(p.id, p.name);
  for (const id of extraIds) if (id) add(id, dir.userName(id));
  return out;
}
