// The customer side of the web chat protocol (docs/api-v1.md, "Web chat (issue #4)"):
// `GET /api/v1/chat/{tenant}/{entry}/ws`, JSON text frames both ways.

import type { ChatMessage, ChatMessageKind, ChatSender } from '../api/types';

export type Sender = ChatSender;
export type MessageKind = ChatMessageKind;
/** A stored message as the server sends it (`type: "message"`, and the replay on connect); `body` is `null` once withdrawn. */
export type WireMessage = ChatMessage;

export type ServerFrame =
  | {
      type: 'welcome';
      /** Null until the visitor's first `start` stores them. */
      customer_id: string | null;
      title: string | null;
      prechat_form: boolean;
      conversation: string | null;
      /** The resumed conversation's state (`queued`, `offered`, `connected`, `wrap_up`, `closed`), else null. */
      state?: string | null;
      /** The score already given to the resumed conversation (1-5), else null: the server's word over the page's copy. */
      rating?: number | null;
    }
  | { type: 'conversation'; id: string }
  | { type: 'ack'; client_id: string; id: string; seq: number }
  | ({ type: 'message' } & WireMessage)
  | { type: 'recalled'; id: string; seq: number }
  | { type: 'agent_joined'; agent_id?: string; at?: string }
  | { type: 'agent_left'; released_by?: string; at?: string }
  | { type: 'queued'; at?: string }
  | { type: 'closed'; outcome?: string; at?: string }
  | { type: 'typing'; from?: string }
  /** Not in the documented protocol yet, but sent by the server: the agent read up to `seq`. */
  | { type: 'read'; seq: number }
  /** Not in the documented protocol yet, but sent by the server when the agent transfers the chat. */
  | { type: 'transferred' }
  /**
   * The place in line (1 = next; null once an agent has the conversation) and the queue's
   * typical recent wait in seconds (null when unknown): after `start` and in reply to `position`.
   */
  | { type: 'queue'; position: number | null; estimated_wait_s: number | null }
  /** The satisfaction rating was stored. */
  | { type: 'rated'; score: number }
  | { type: 'error'; code: string; message?: string };

export type ClientFrame =
  | { type: 'start'; name?: string; phone?: string; email?: string; question?: string }
  | { type: 'message'; client_id: string; text: string }
  | { type: 'typing' }
  | { type: 'read'; seq: number }
  | { type: 'leave' }
  | { type: 'position' }
  | { type: 'rate'; score: number; comment?: string };

/** Most characters in one message (the server counts Unicode characters after trimming). */
export const MAX_MESSAGE_CHARS = 5000;
/** Pre-chat form limits, as the server checks them. */
export const PRECHAT_LIMITS = { name: 64, phone: 32, email: 128, question: 500 } as const;

/** Satisfaction rating: a whole score from 1 to 5 and an optional comment of at most 500 characters. */
export const RATING_MAX = 5;
export const MAX_RATING_COMMENT = 500;

/** The largest file a customer may send (the server refuses more with 413). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** The `client_id` the server gives the pre-chat question it stores as the first message. */
export const QUESTION_CLIENT_ID = 'question';

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Parse one frame. Anything that is not a JSON object with a known `type` and the fields this
 * client relies on is dropped (null), so an unexpected frame can never break the page.
 */
export function parseFrame(data: unknown): ServerFrame | null {
  if (typeof data !== 'string') return null;
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isObj(v) || typeof v.type !== 'string') return null;
  const str = (k: string) => typeof v[k] === 'string';
  const num = (k: string) => typeof v[k] === 'number' && Number.isFinite(v[k]);
  switch (v.type) {
    case 'welcome':
      return {
        ...(v as object),
        prechat_form: v.prechat_form === true,
        conversation: str('conversation') ? (v.conversation as string) : null,
        state: str('state') ? (v.state as string) : null,
        // Left out by an older server (the page's copy stands); otherwise a score or null.
        ...('rating' in v ? { rating: num('rating') ? (v.rating as number) : null } : {}),
      } as ServerFrame;
    case 'conversation':
      return str('id') ? (v as unknown as ServerFrame) : null;
    case 'ack':
      return str('client_id') && str('id') && num('seq') ? (v as unknown as ServerFrame) : null;
    case 'message': {
      const m = parseWireMessage(v);
      return m ? { ...m, type: 'message' } : null;
    }
    case 'queue': {
      // A place is a whole number from 1; a wait is whole seconds from 0. Anything else: unknown.
      const position = num('position') && (v.position as number) >= 1 ? Math.floor(v.position as number) : null;
      const wait = num('estimated_wait_s') && (v.estimated_wait_s as number) >= 0 ? Math.round(v.estimated_wait_s as number) : null;
      return { type: 'queue', position, estimated_wait_s: wait };
    }
    case 'rated':
      return num('score') ? { type: 'rated', score: v.score as number } : null;
    case 'recalled':
      return str('id') ? (v as unknown as ServerFrame) : null;
    case 'read':
      return num('seq') ? (v as unknown as ServerFrame) : null;
    case 'error':
      return { ...v, code: str('code') ? v.code : 'unknown' } as ServerFrame;
    case 'agent_joined':
    case 'agent_left':
    case 'queued':
    case 'closed':
    case 'typing':
    case 'transferred':
      return v as unknown as ServerFrame;
    default:
      return null;
  }
}

/**
 * A stored message (a `message` frame without its `type`, or the reply to a file upload), with
 * defaults for the optional fields; null unless it has an id, a seq and a sender.
 */
export function parseWireMessage(v: unknown): WireMessage | null {
  if (!isObj(v)) return null;
  if (typeof v.id !== 'string' || typeof v.seq !== 'number' || !Number.isFinite(v.seq) || typeof v.sender !== 'string') return null;
  const { type: _type, ...rest } = v;
  return { kind: 'text', client_id: null, at: '', recalled: false, ...rest } as unknown as WireMessage;
}
