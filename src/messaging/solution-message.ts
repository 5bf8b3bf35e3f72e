import { isNetwork, Network } from '../biblepay/network';

/**
 * The one message contract between frontend and backend: what the wallet sent, untouched, plus
 * where and when it arrived. The backend re-parses `solution` itself; nothing here is trusted.
 */
export interface SolutionMessage {
  v: 1;
  /** Random UUID per accepted submission: the backend records each message id once. */
  id: string;
  network: Network;
  /** The raw 16-field `Solution` header. */
  solution: string;
  /** The raw `Miner` header (workerid). */
  miner: string;
  threadId: string | null;
  ip: string | null;
  agent: string | null;
  os: string | null;
  /** Unix ms when the frontend received it. */
  receivedAt: number;
}

/**
 * Several solutions in one broker message: the frontend's group commit (SOLUTION_PUBLISH_BATCH_MAX).
 * The broker confirms the message as a whole, and each wallet in it is answered `ok` only then.
 */
export interface SolutionGroupMessage {
  v: 2;
  solutions: SolutionMessage[];
}

export class PoisonMessageError extends Error {}

/**
 * What a backend takes in one broker message (issue 22): a group larger than any frontend sends
 * (SOLUTION_PUBLISH_BATCH_MAX is at most 1000; the publisher splits groups at
 * GROUP_BYTES_TARGET) is poison, dead-lettered unread, so a compromised frontend cannot make a
 * backend parse and validate an unbounded batch.
 */
export const MAX_GROUP_SOLUTIONS = 1000;
export const MAX_SOLUTION_MESSAGE_BYTES = 16 * 1024 * 1024;
/** The publisher closes a group once its estimated size reaches this (half the backend's cap). */
export const GROUP_BYTES_TARGET = MAX_SOLUTION_MESSAGE_BYTES / 2;

/** An upper bound of a message's JSON size: a header character takes at most 2 bytes there. */
export function estimatedBytes(message: SolutionMessage): number {
  const text =
    message.solution.length +
    message.miner.length +
    (message.agent?.length ?? 0) +
    (message.os?.length ?? 0) +
    (message.threadId?.length ?? 0) +
    (message.ip?.length ?? 0);
  return 2 * text + 512;
}

export function encodeSolutionMessage(message: SolutionMessage): Buffer {
  return Buffer.from(JSON.stringify(message));
}

const optionalString = (v: unknown): v is string | null => v === null || typeof v === 'string';

/** One solution as a v1 message, several as one v2 group. */
export function encodeSolutionMessages(messages: readonly SolutionMessage[]): Buffer {
  if (messages.length === 1) return encodeSolutionMessage(messages[0]);
  const group: SolutionGroupMessage = { v: 2, solutions: [...messages] };
  return Buffer.from(JSON.stringify(group));
}

/** The solutions a broker message carries (v1: one, v2: its group); poison throws. */
export function decodeSolutionMessages(content: Buffer): SolutionMessage[] {
  if (content.length > MAX_SOLUTION_MESSAGE_BYTES) {
    throw new PoisonMessageError(
      `message of ${content.length} bytes (at most ${MAX_SOLUTION_MESSAGE_BYTES})`,
    );
  }
  const value = parseJson(content);
  const group = value as Partial<SolutionGroupMessage> | null;
  if (group && typeof group === 'object' && group.v === 2) {
    if (!Array.isArray(group.solutions) || group.solutions.length === 0) {
      throw new PoisonMessageError('group message without solutions');
    }
    if (group.solutions.length > MAX_GROUP_SOLUTIONS) {
      throw new PoisonMessageError(
        `group of ${group.solutions.length} solutions (at most ${MAX_GROUP_SOLUTIONS})`,
      );
    }
    return group.solutions.map(checkSolutionMessage);
  }
  return [checkSolutionMessage(value)];
}

/** Throws PoisonMessageError for anything that is not a well-formed SolutionMessage. */
export function decodeSolutionMessage(content: Buffer): SolutionMessage {
  return checkSolutionMessage(parseJson(content));
}

function parseJson(content: Buffer): unknown {
  try {
    return JSON.parse(content.toString('utf8'));
  } catch {
    throw new PoisonMessageError('message is not JSON');
  }
}

function checkSolutionMessage(value: unknown): SolutionMessage {
  const m = value as Partial<Record<keyof SolutionMessage, unknown>> | null;
  if (
    !m ||
    typeof m !== 'object' ||
    m.v !== 1 ||
    typeof m.id !== 'string' ||
    !/^[0-9a-f-]{36}$/i.test(m.id) ||
    typeof m.network !== 'string' ||
    !isNetwork(m.network) ||
    typeof m.solution !== 'string' ||
    typeof m.miner !== 'string' ||
    !optionalString(m.threadId) ||
    !optionalString(m.ip) ||
    !optionalString(m.agent) ||
    !optionalString(m.os) ||
    typeof m.receivedAt !== 'number' ||
    !Number.isFinite(m.receivedAt)
  ) {
    throw new PoisonMessageError('message does not match the SolutionMessage contract v1');
  }
  return m as SolutionMessage;
}

/**
 * `receivedAt` is the frontend's word, and rounds are cut by it: a time later than the broker's
 * delivery to this backend cannot be true, so it becomes the delivery time (a frontend cannot
 * move a share into a later round; see the validator for the earliest time a share is credited).
 */
export function clampToDelivery(
  messages: readonly SolutionMessage[],
  deliveredAt: number,
): SolutionMessage[] {
  return messages.map((m) => (m.receivedAt > deliveredAt ? { ...m, receivedAt: deliveredAt } : m));
}
