import { z } from "zod";

/** Someone who decided something, as records name them: their id in the tenant and their display name. */
export const PersonSchema = z.object({ userId: z.string().min(1), name: z.string() });
export type Person = z.infer<typeof PersonSchema>;
