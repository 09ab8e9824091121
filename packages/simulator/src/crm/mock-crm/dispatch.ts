import type { RequestFields } from './body.js'
import {
  authorize,
  CoreRouter,
  errorAnswer,
  type CoreRoute,
  type CrmAnswer,
  type CrmRequest,
  type RouteMatch,
} from './core.js'
import { espoCrmCoreRoutes } from './espocrm-api.js'
import { genericCoreRoutes } from './generic-api.js'
import type { MockCrmDeps } from './shared.js'

/** What a transport knows of a request before the core routes it. */
export interface CoreInput {
  readonly method: string
  /** The path below the mock CRM's mount (`/api/accounts`): unreserved characters only. */
  readonly path: string
  /** The whole URL (`c.req.url`'s form). */
  readonly url: string
  readonly header: (name: string) => string | undefined
  /**
   * Reads the body's fields, for a route that takes one (called after the credentials pass, as
   * the Hono routes read it); absent: the request has no body.
   */
  readonly readBody?: (() => RequestFields | Promise<RequestFields>) | undefined
  /** The route `route(method, path)` found for this very request, when the transport asked. */
  readonly match?: RouteMatch | undefined
}

/**
 * The mock CRM's API without Hono (see core.ts): answers a request fully, or says it cannot
 * (`undefined`), and then the transport hands the request to the Hono app. It cannot while a
 * fault rule is set (faults are the Hono routes' own), when the store is saved to a file (the
 * answer waits for the save there), for a path it does not route (pages, downloads, OAuth) and
 * when a route that reads a body gets none or one that reads none gets one.
 */
export class MockCrmCore {
  private readonly router = new CoreRouter()

  constructor(
    private readonly deps: MockCrmDeps,
    dialect: 'generic' | 'espocrm' | undefined,
  ) {
    const routes = [
      ...(dialect === 'espocrm' ? [] : genericCoreRoutes(deps)),
      ...(dialect === 'generic' ? [] : espoCrmCoreRoutes(deps)),
    ]
    for (const [method, path, route] of routes) this.router.add(method, path, route)
  }

  /** Whether `dispatch` may answer at all now (no fault rule, no file to wait for). */
  get ready(): boolean {
    return this.deps.faults?.active !== true && this.deps.store.file === undefined
  }

  /** The route of a method and path, when the core has one. */
  route(method: string, path: string): CoreRoute | undefined {
    return this.router.match(method, path)?.route
  }

  /** The route of a method and path and its path parameters, when the core has one. */
  match(method: string, path: string): RouteMatch | undefined {
    return this.router.match(method, path)
  }

  dispatch(input: CoreInput): CrmAnswer | Promise<CrmAnswer> | undefined {
    if (!this.ready) return undefined
    const hit = input.match ?? this.router.match(input.method, input.path)
    if (hit === undefined || hit.route.body !== (input.readBody !== undefined)) return undefined
    // `query` present from the start: every request object has the same shape.
    const request: CrmRequest = {
      url: input.url,
      params: hit.params,
      header: input.header,
      query: undefined,
    }
    try {
      const refused = authorize(this.deps, request)
      if (refused) return refused
      const readBody = input.readBody
      // Read and handled in this turn when both can be (a JSON or in-process body, a route that
      // waits for nothing): an answer at hand needs no promise and no timer at the client. This
      // may change the order of different sessions' journal entries at one virtual instant (not
      // a session's own, nor the output of a run: docs/performance.md).
      let answer: CrmAnswer | Promise<CrmAnswer>
      if (readBody === undefined) answer = hit.route.handle(request)
      else {
        const fields = readBody()
        const route = hit.route
        answer =
          fields instanceof Promise
            ? fields.then((read) => route.handle(withFields(request, read)))
            : route.handle(withFields(request, fields))
      }
      return answer instanceof Promise
        ? answer.catch((e: unknown) => errorAnswer(input.url, e))
        : answer
    } catch (error) {
      return errorAnswer(input.url, error)
    }
  }
}

/**
 * `request` with its body's fields, field by field: `{ ...request, fields }` (a spread with a key
 * the source lacks) makes an object of a hidden class of its own each time on Node 20.
 */
function withFields(request: CrmRequest, fields: RequestFields): CrmRequest {
  return {
    url: request.url,
    params: request.params,
    header: request.header,
    fields,
    query: undefined,
  }
}
