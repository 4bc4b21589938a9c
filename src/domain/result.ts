/** Expected failures are values with codes (e.g. "ACTION.INVALID"); one place turns them into cards. */
export type Failure = { ok: false; code: string; message: string; details?: Record<string, unknown> };
export type Success<T> = { ok: true; value: T };
export type Result<T> = Success<T> | Failure;

export const ok = <T>(value: T): Success<T> => ({ ok: true, value });
export const fail = (code: string, message: string, details?: Record<string, unknown>): Failure =>
  details ? { ok: false, code, message, details } : { ok: false, code, message };
