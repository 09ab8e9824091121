/**
 * The documents give each reason/status vocabulary as pairs of a wire string and a numeric
 * reporting code. The code tables are the single source: each `z.enum` is built from a table's keys
 * so the two cannot drift apart.
 */
export function namesOf<TCodes extends Readonly<Record<string, number>>>(
  codes: TCodes,
): [Extract<keyof TCodes, string>, ...Extract<keyof TCodes, string>[]] {
  return Object.keys(codes) as [Extract<keyof TCodes, string>, ...Extract<keyof TCodes, string>[]]
}
