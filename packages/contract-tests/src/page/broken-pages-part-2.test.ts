// Part 2 of the deliberately broken CRM pages (see `brokenPageTests`: one file per part, so
// the test runner spreads the browser runs over its workers).
import { describe } from 'vitest'
import { brokenPageTests } from '../test-support/page-check.js'

describe('deliberately broken CRM pages', () => {
  brokenPageTests(1)
})
