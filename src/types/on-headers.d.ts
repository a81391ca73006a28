// on-headers ships no types: one function that runs a listener just before a response writes
// its headers (while they can still be changed).
declare module 'on-headers' {
  import type { ServerResponse } from 'node:http';

  function onHeaders<T extends ServerResponse>(res: T, listener: (this: T) => void): void;
  export default onHeaders;
}
