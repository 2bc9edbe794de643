import { z } from 'zod';
import { ERROR_CODES } from './errors.ts';

/**
 * The wire messages of the RPC layer. The engine parses every incoming message with
 * these schemas, so anything a transport delivers — garbage included — is either a
 * well-formed message or answered with a `bad_message` error.
 */
export const requestId = z.union([z.string().min(1).max(128), z.number().int().nonnegative()]);
export type RequestId = z.infer<typeof requestId>;

const name = z.string().min(1).max(128);

export const clientMessage = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('request'), id: requestId, method: name, params: z.unknown() }),
  z.object({ kind: z.literal('cancel'), id: requestId }),
  z.object({ kind: z.literal('subscribe'), events: z.array(name).max(256) }),
  z.object({ kind: z.literal('unsubscribe'), events: z.array(name).max(256) }),
]);
export type ClientMessage = z.infer<typeof clientMessage>;

export const wireError = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export const serverMessage = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('response'), id: requestId, result: z.unknown() }),
  z.object({ kind: z.literal('failure'), id: requestId.nullable(), error: wireError }),
  z.object({ kind: z.literal('event'), event: name, payload: z.unknown() }),
]);
export type ServerMessage = z.infer<typeof serverMessage>;
