import { getQueryParam } from 'hono/utils/url'
import { describe, expect, it } from 'vitest'
import {
  CoreRouter,
  jsonText,
  parseQuery,
  JSON_HEADERS,
  rawHeader,
  sameHeaderName,
  type CoreRoute,
} from './core.js'

const route = (name: string): CoreRoute =>
  ({ name, body: false, handle: () => jsonText('[]') }) as unknown as CoreRoute

describe('CoreRouter', () => {
  it('answers the first route added that matches, whether its path is fixed or has parameters', () => {
    const router = new CoreRouter()
    const byId = route('by id')
    const list = route('list')
    const mine = route('mine')
    const later = route('later')
    router.add('get', '/api/things/:id', byId)
    router.add('GET', '/api/things/mine', mine)
    router.add('GET', '/api/things', list)
    router.add('GET', '/api/things', later)
    expect(router.match('GET', '/api/things/mine')).toEqual({ route: byId, params: { id: 'mine' } })
    expect(router.match('GET', '/api/things/7')).toEqual({ route: byId, params: { id: '7' } })
    expect(router.match('GET', '/api/things')).toEqual({ route: list, params: {} })
    expect(router.match('POST', '/api/things')).toBeUndefined()
    expect(router.match('GET', '/api/things/')).toBeUndefined()
    expect(router.match('GET', '/api/other')).toBeUndefined()
  })
  it('matches a path as comparing its split segments would: trailing slashes, empty ids, extra segments', () => {
    const paths = [
      '/api/records/:id/comments',
      '/api/records/:id',
      '/api/records',
      '/a/:x/:y',
      '/:only',
    ]
    const router = new CoreRouter()
    for (const path of paths) router.add('POST', path, route(path))
    /** The matching the router did before: every route's segments against `path.split('/')`. */
    const bySplit = (
      path: string,
    ): { route: string; params: Record<string, string> } | undefined => {
      const got = path.split('/').slice(1)
      for (const candidate of paths) {
        const want = candidate.split('/').slice(1)
        if (want.length !== got.length) continue
        const params: Record<string, string> = {}
        const ok = want.every((segment, i) => {
          const value = got[i] ?? ''
          if (!segment.startsWith(':')) return segment === value
          params[segment.slice(1)] = value
          return value !== ''
        })
        if (ok) return { route: candidate, params }
      }
      return undefined
    }
    const asked = [
      ...['', '/', 'api', 'x/api/records', '//api/records', '/api/records/', '/api/records//'],
      ...['/api/records/7', '/api/records/7/', '/api/records/7/comments', '/api/records//comments'],
      ...['/api/records/7/comments/', '/api/records/7/notes', '/api/recordsx/7', '/api/record/7'],
      ...['/a/1/2', '/a//2', '/a/1/', '/a/1/2/3', '/x', '/x/', '/api/records/7/comments/8'],
    ]
    for (const path of asked) {
      const hit = router.match('POST', path)
      const found = hit && {
        route: (hit.route as unknown as { name: string }).name,
        params: hit.params,
      }
      expect(found, path).toEqual(bySplit(path))
    }
  })
})

describe('header names', () => {
  it('are the same in any case of their letters, and only then', () => {
    expect(sameHeaderName('X-Api-Key', 'x-API-kEY')).toBe(true)
    expect(sameHeaderName('host', 'host')).toBe(true)
    expect(sameHeaderName('host', 'hosts')).toBe(false)
    expect(sameHeaderName('x-api-key', 'x_api_key')).toBe(false)
    // Characters 32 apart that are not letters: `@` and `` ` ``, `[` and `{`.
    expect(sameHeaderName('a@', 'a`')).toBe(false)
    expect(sameHeaderName('a[', 'a{')).toBe(false)
    expect(rawHeader(['X-API-KEY', 'a', 'Accept', 'b', 'x-api-key', 'c'], 'X-Api-Key')).toBe('a, c')
    expect(rawHeader(['Accept', 'b'], 'x-api-key')).toBeUndefined()
  })
})

describe('jsonText', () => {
  it('gives every JSON answer without other headers one frozen header object', () => {
    expect(jsonText('[]').headers).toBe(JSON_HEADERS)
    expect(Object.isFrozen(JSON_HEADERS)).toBe(true)
    expect(jsonText('[]', 201, { location: '/x' }).headers).toEqual({
      'content-type': 'application/json',
      location: '/x',
    })
  })
})

describe('parseQuery', () => {
  it("reads every query as Hono's getQueryParam does: escapes, plus signs, repeats, empty names, fragments", () => {
    const pieces = ['a', 'b', '=', '&', '%2B', '%E0%A4%A', '%ZZ', '+', '#', '?', '%61']
    const queries = [
      '',
      '?',
      '?phone=%2B1201&limit=1',
      '?a=1&a=2',
      '?=x&a',
      '?a&b=',
      '?__proto__=1',
    ]
    // Every sequence of up to four pieces after `?`: 16,105 queries.
    const grow = (prefix: string, depth: number): void => {
      queries.push(`?${prefix}`)
      if (depth === 4) return
      for (const piece of pieces) grow(prefix + piece, depth + 1)
    }
    grow('', 0)
    for (const query of queries)
      for (const url of [`http://h/api/x${query}`, `http://h/a+b%20/x${query}`]) {
        const hono = getQueryParam(url) as Record<string, string>
        expect({ url, query: Object.fromEntries(parseQuery(url)) }).toEqual({
          url,
          query: { ...hono },
        })
      }
  })
})
