import type { z } from 'zod';

/** One request → response pair: what the caller sends and what it gets back. */
export interface CommandSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  readonly summary: string;
}

/** A contract: every command and every event one side offers, declared once. */
export interface Contract {
  readonly commands: Record<string, CommandSpec>;
  readonly events: Record<string, z.ZodType>;
}

export function command<I extends z.ZodType, O extends z.ZodType>(
  summary: string,
  input: I,
  output: O,
): CommandSpec<I, O> {
  return { summary, input, output };
}

export function defineContract<const C extends Contract>(contract: C): C {
  return contract;
}

export type CommandName<C extends Contract> = keyof C['commands'] & string;
export type EventName<C extends Contract> = keyof C['events'] & string;

/** What a caller passes (before schema defaults are applied). */
export type CommandInput<C extends Contract, K extends CommandName<C>> = z.input<C['commands'][K]['input']>;
/** What a handler receives (after validation and defaults). */
export type HandlerInput<C extends Contract, K extends CommandName<C>> = z.output<C['commands'][K]['input']>;
export type CommandOutput<C extends Contract, K extends CommandName<C>> = z.output<C['commands'][K]['output']>;
export type EventPayload<C extends Contract, K extends EventName<C>> = z.output<C['events'][K]>;

export interface HandlerContext {
  /** Aborted when the caller cancels the request or its connection goes away. */
  readonly signal: AbortSignal;
}

export type Handler<C extends Contract, K extends CommandName<C>> = (
  input: HandlerInput<C, K>,
  context: HandlerContext,
) => Promise<CommandOutput<C, K>> | CommandOutput<C, K>;

/** A handler for every command: leaving one out is a type error. */
export type Handlers<C extends Contract> = { readonly [K in CommandName<C>]: Handler<C, K> };
