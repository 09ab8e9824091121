import { SimpleFaker, type Faker } from '@faker-js/faker'

/*
 * `#english-faker` of @ccai-sim/fixtures inside the k6 script's file generator (k6-media.ts maps
 * it here). The media generators only draw numbers and array elements, which faker's `SimpleFaker`
 * does with the same code (so the same draws from the same randomizer), without the English data
 * (~1 MB) or `node:module`, which the package's own module loads faker through.
 */
export function englishFaker(): {
  readonly FakerClass: typeof Faker
  readonly definitions: Faker['rawDefinitions']
} {
  return { FakerClass: SimpleFaker as unknown as typeof Faker, definitions: {} }
}
