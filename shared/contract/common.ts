import { z } from 'zod';

/** Input of commands that take nothing. */
export const none = z.object({}).strict();
/** Input of commands about one item of their domain. */
export const id = z.object({ id: z.string().min(1) }).strict();
