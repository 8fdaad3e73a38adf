/** autocannon ships no types: the part the server bench uses. */
declare module 'autocannon' {
  function autocannon(options: Record<string, unknown>, done: (error: Error | null, result: never) => void): unknown;
  export default autocannon;
}
