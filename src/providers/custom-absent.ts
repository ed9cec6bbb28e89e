// What the custom provider leaves out of what an expression gives: a query value, header or field
// that is null, or undefined (JSONata gives undefined for a regex group that matched nothing).

/** A value that is not there: null or undefined. */
export function absent(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}
