/**
 * A value together with the version (the ETag) it was read at. A decision hands the versions it read back to
 * storage with the rows it writes, so a change made meanwhile by someone else is a named conflict, never lost.
 */
export interface Versioned<T> {
  value: T;
  etag: string;
}
