import type { z } from 'zod';
import type { CommandName, Contract, Handler, HandlerContext, HandlerInput, Handlers } from './contract.ts';
import { FerryError, type FieldErrors } from './errors.ts';

/** Turns zod issues into a field → message map a form can show. */
export function fieldErrorsFromZod(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join('.') : '_';
    fields[key] ??= issue.message;
  }
  return fields;
}

function describeFields(fields: FieldErrors): string {
  return Object.entries(fields)
    .map(([field, message]) => (field === '_' ? message : `${field}: ${message}`))
    .join('; ');
}

/**
 * Validates the input with the command's schema, then runs its handler. Every failure
 * comes out as a FerryError: unknown method, invalid input, or whatever the handler
 * threw (unexpected exceptions become `internal`, with the message kept for the log).
 */
export async function dispatch<C extends Contract>(
  contract: C,
  handlers: Handlers<C>,
  method: string,
  params: unknown,
  context: HandlerContext,
): Promise<unknown> {
  if (!Object.hasOwn(contract.commands, method)) {
    throw new FerryError('unknown_command', `Unknown command "${method.slice(0, 128)}".`);
  }
  const name = method as CommandName<C>;
  const spec = contract.commands[name]!;
  const parsed = spec.input.safeParse(params ?? {});
  if (!parsed.success) {
    const fields = fieldErrorsFromZod(parsed.error);
    throw new FerryError('invalid_input', `Invalid input for ${method}: ${describeFields(fields)}`, { fields });
  }
  const handler = handlers[name] as Handler<C, typeof name>;
  try {
    return await handler(parsed.data as HandlerInput<C, typeof name>, context);
  } catch (error) {
    throw toFerryError(error, context.signal);
  }
}

export function toFerryError(error: unknown, signal?: AbortSignal): FerryError {
  if (error instanceof FerryError) return error;
  if (signal?.aborted) return new FerryError('cancelled', 'The operation was cancelled.');
  const message = error instanceof Error ? error.message : String(error);
  return new FerryError('internal', `Internal error: ${message}`);
}
