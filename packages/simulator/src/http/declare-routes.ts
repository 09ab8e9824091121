/*
 * Routes are declared once, here-shaped, and `/openapi.json` is generated from them.
 *
 * How to declare a route (every HTTP route of the simulator goes through this; a route registered
 * with plain `app.get(…)` is missing from `/openapi.json` and fails `openapi.test.ts`):
 *
 *   // in the folder of the surface it belongs to (control/, crm/mock-crm/, email/, …)
 *   const getThing = route({
 *     method: 'get',
 *     path: '/things/:id',                 // Hono pattern, relative to where the surface is mounted
 *     summary: 'One thing',                // Redocly requires a summary on every operation
 *     request: { params: z.object({ id: z.string() }), query: ThingQuerySchema },
 *     responses: {
 *       200: json('The thing', ThingSchema),           // success: always with a schema
 *       ...problems('not_found', 'invalid_request'),   // errors: codes of the closed list (errors.ts)
 *     },
 *     handler: (c, { query }) => c.json(…),            // query and body arrive validated
 *   })
 *   export function thingRoutes(…): Hono { return routesApp('things', [getThing, …]) }
 *
 * and app.ts mounts it (`app.route('/prefix', thingRoutes(…))`). The mechanism:
 * - validates `request.query` and a JSON `request.body` strictly before the handler runs (422
 *   problem+json naming each field); path parameters are only documented: handlers answer an
 *   unknown or malformed id with their own problem (an id that cannot exist is "no such thing", 404);
 * - documents `request.content` (media type → schema) for handlers that read the body themselves
 *   (forms, multipart, the mock CRM's lenient bodies); with `validate: false` the query is read by the
 *   handler too and its schema only documents it;
 * - a route that reads a body (`request.body` or `request.content`) also documents the body limits'
 *   problems, `payload_too_large` (413) and `body_too_deep` (422) (http/body-limits.ts; `jsonBody`
 *   and the mock CRM's `readFields` enforce them); `limits: false` for a handler that reads its body
 *   without them;
 * - `trailingSlash: true` also answers `<path>/` with the same handler (the document lists the path
 *   without the slash: Redocly's `no-path-trailing-slash`);
 * - every 4xx/5xx is `application/problem+json` whose `type` is one of the closed list; `problems()`
 *   documents them; unknown routes answer 404 and known paths with another method 405 with `Allow`
 *   (`unmatchedRoute`), on the pure app and on the real server alike.
 * Names of Zod schemas given `.meta({ id })` become `components.schemas` entries.
 * Library: hono-openapi (`describeRoute`, `resolver`, `generateSpecs`): it converts Zod 4 schemas
 * with Zod's own `z.toJSONSchema` and reads plain Hono apps, so surfaces stay ordinary sub-apps.
 */
import { ProblemSchema } from '@ccai-sim/schemas'
import type { Context, Hono as HonoApp, NotFoundHandler } from 'hono'
import { Hono } from 'hono'
import { TrieRouter } from 'hono/router/trie-router'
import { describeRoute, resolver } from 'hono-openapi'
import { z } from 'zod'
import { SIMULATOR_ERROR_CODES, type SimulatorErrorCode } from '../errors.js'
import { problem, problemFromError } from './problem.js'
import { jsonBody, queryParams } from './validate.js'

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete'

/** A JSON Schema object, for bodies Zod does not describe (HTML, bytes, event streams). */
export type JsonSchemaObject = Readonly<Record<string, unknown>>

/** One response: a description, and per media type a Zod schema or a JSON Schema object. */
export interface ResponseDeclaration {
  readonly description: string
  readonly content?: Readonly<Record<string, z.ZodType | JsonSchemaObject>>
  readonly headers?: Readonly<
    Record<string, { readonly description: string; readonly schema: JsonSchemaObject }>
  >
}

/** Responses by status (`'default'` for answers of any status, such as injected faults). */
export type ResponseDeclarations = Readonly<
  Partial<Record<number | 'default', ResponseDeclaration>>
>

export interface RequestDeclaration<
  TQuery extends z.ZodObject | undefined,
  TBody extends z.ZodType | undefined,
> {
  /** Path parameters (documentation and types only; the handler checks them). */
  readonly params?: z.ZodObject
  /** Query parameters: validated strictly, unless `validate` is false. */
  readonly query?: TQuery
  /** A JSON body: validated strictly (an empty body reads as `{}`). */
  readonly body?: TBody
  /** Whether a body must be sent (default: true when `body` is given). */
  readonly bodyRequired?: boolean
  /** Bodies the handler reads itself, by media type (documentation only). */
  readonly content?: Readonly<Record<string, z.ZodType | JsonSchemaObject>>
  /** False: `query` only documents; the handler reads the query string itself. */
  readonly validate?: boolean
  /**
   * False: the handler reads its body without the body limits (http/body-limits.ts), so the
   * route does not document `payload_too_large` and `body_too_deep`. Default true.
   */
  readonly limits?: boolean
}

type Output<T> = T extends z.ZodType ? z.output<T> : undefined

export interface RouteInput<TQuery, TBody> {
  readonly query: Output<TQuery>
  readonly body: Output<TBody>
}

export interface RouteDeclaration<
  TQuery extends z.ZodObject | undefined,
  TBody extends z.ZodType | undefined,
> {
  readonly method: HttpMethod
  /** A Hono path pattern relative to the surface's mount point. */
  readonly path: string
  readonly summary: string
  readonly description?: string
  /** Default: generated from the method and the full path (`getSimSessionsById`). */
  readonly operationId?: string
  readonly request?: RequestDeclaration<TQuery, TBody>
  readonly responses: ResponseDeclarations
  /** Also answer `<path>/` (see the top of this file). */
  readonly trailingSlash?: boolean
  readonly handler: (c: Context, input: RouteInput<TQuery, TBody>) => Response | Promise<Response>
}

/** A declared route, its input types erased: what `routesApp` registers. */
export interface DeclaredRoute {
  readonly method: HttpMethod
  readonly path: string
  readonly trailingSlash: boolean
  /** The OpenAPI operation (schemas still as hono-openapi resolvers). */
  readonly operation: Readonly<Record<string, unknown>>
  readonly run: (c: Context) => Response | Promise<Response>
}

/** JSON Schema of a Zod schema, as OpenAPI 3.1 embeds it (no `$schema`). */
export function jsonSchemaOf(
  schema: z.ZodType,
  io: 'input' | 'output' = 'input',
): Record<string, unknown> {
  const json = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Record<string, unknown>
  delete json['$schema']
  return json
}

function parametersOf(
  where: 'path' | 'query',
  schema: z.ZodObject | undefined,
): Record<string, unknown>[] {
  if (!schema) return []
  return Object.entries(schema.shape).map(([name, field]) => {
    const json = jsonSchemaOf(field as z.ZodType)
    const { description, ...rest } = json
    return {
      name,
      in: where,
      required: where === 'path' || !(field as z.ZodType).safeParse(undefined).success,
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    }
  })
}

function isZod(value: unknown): value is z.ZodType {
  return typeof value === 'object' && value !== null && '_zod' in value
}

function contentOf(
  content: Readonly<Record<string, z.ZodType | JsonSchemaObject>>,
  io: 'input' | 'output',
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(content).map(([media, schema]) => [
      media,
      { schema: isZod(schema) ? resolver(schema, { options: { io } }) : schema },
    ]),
  )
}

/** Declares one route: its request and response schemas, and its handler. */
export function route<
  TQuery extends z.ZodObject | undefined = undefined,
  TBody extends z.ZodType | undefined = undefined,
>(declaration: RouteDeclaration<TQuery, TBody>): DeclaredRoute {
  const { request } = declaration
  const validate = request?.validate ?? true
  // The OpenAPI operation converts every parameter's schema to JSON Schema: work for
  // `/openapi.json`, not for start-up (about a third of building the app), so it waits for the
  // document's first request. The conversion depends on the declaration alone, and the document's
  // tests (openapi.test.ts) build it from every route, so it cannot fail first in a user's run.
  let operation: Record<string, unknown> | undefined
  const describe = (): Record<string, unknown> => (operation ??= operationOf(declaration))
  // Synchronous until something must be awaited: a GET answered at once costs no promise.
  const run = (c: Context): Response | Promise<Response> => {
    const query = (
      validate && request?.query ? queryParams(c, request.query) : undefined
    ) as Output<TQuery>
    const schema = request?.body
    if (!schema) return declaration.handler(c, { query, body: undefined as Output<TBody> })
    return jsonBody(c, schema).then((body) =>
      declaration.handler(c, { query, body: body as Output<TBody> }),
    )
  }
  return {
    method: declaration.method,
    path: declaration.path,
    trailingSlash: declaration.trailingSlash ?? false,
    get operation() {
      return describe()
    },
    run,
  }
}

/** A route's OpenAPI operation (its schemas still as hono-openapi resolvers). */
function operationOf<TQuery extends z.ZodObject | undefined, TBody extends z.ZodType | undefined>(
  declaration: RouteDeclaration<TQuery, TBody>,
): Record<string, unknown> {
  const { request } = declaration
  const parameters = [
    ...parametersOf('path', request?.params),
    ...parametersOf('query', request?.query),
  ]
  const bodyContent = {
    ...(request?.body ? { 'application/json': request.body } : {}),
    ...request?.content,
  }
  const hasBody = Object.keys(bodyContent).length > 0 && request?.limits !== false
  return {
    summary: declaration.summary,
    ...(declaration.description === undefined ? {} : { description: declaration.description }),
    ...(declaration.operationId === undefined ? {} : { operationId: declaration.operationId }),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(Object.keys(bodyContent).length > 0
      ? {
          requestBody: {
            required: request?.bodyRequired ?? request?.body !== undefined,
            content: contentOf(bodyContent, 'input'),
          },
        }
      : {}),
    responses: Object.fromEntries(
      Object.entries(withBodyProblems(declaration.responses, hasBody)).flatMap(
        ([status, response]) =>
          response === undefined
            ? []
            : [
                [
                  status,
                  {
                    description: response.description,
                    ...(response.headers ? { headers: response.headers } : {}),
                    ...(response.content ? { content: contentOf(response.content, 'output') } : {}),
                  },
                ],
              ],
      ),
    ),
  }
}

/**
 * The same route at another path (a surface mounted inside another): its operation still built
 * on first read (a spread `{ ...route, path }` would build it now).
 */
export function atPath(declared: DeclaredRoute, path: string): DeclaredRoute {
  return {
    method: declared.method,
    path,
    trailingSlash: declared.trailingSlash,
    get operation() {
      return declared.operation
    },
    run: declared.run,
  }
}

/**
 * An object that reads as `{ tags: [tag], …operation }`, with the operation built on first read:
 * hono-openapi keeps the description it is given and reads it only to generate the document.
 */
function lazySpec(tag: string, route: DeclaredRoute): Record<string, unknown> {
  let spec: Record<string, unknown> | undefined
  const built = (): Record<string, unknown> => (spec ??= { tags: [tag], ...route.operation })
  return new Proxy<Record<string, unknown>>(
    {},
    {
      get: (_, key): unknown => built()[key as string],
      has: (_, key) => Reflect.has(built(), key),
      ownKeys: () => Reflect.ownKeys(built()),
      getOwnPropertyDescriptor: (_, key) => Reflect.getOwnPropertyDescriptor(built(), key),
    },
  )
}

/**
 * A surface as a Hono sub-app: each declared route with its OpenAPI description (for
 * `generateSpecs`), errors as problem+json. `tag` groups the surface's operations in the document.
 */
export function routesApp(tag: string, routes: readonly DeclaredRoute[]): Hono {
  // Errors become problem+json inside each handler rather than through `app.onError`: Hono's
  // `route()` wraps every handler of a sub-app that has an error handler of its own in an async
  // composition, a cost paid on each request.
  const app = new Hono()
  for (const declared of routes) {
    // The description rides on the handler itself (hono-openapi finds it by its symbol on any
    // handler of the route): registered as a pass-through middleware of its own, it made every
    // request of every route go through Hono's middleware composition.
    const described = describeRoute(lazySpec(tag, declared))
    const caught = (c: Context): Response | Promise<Response> => {
      try {
        const answer = declared.run(c)
        return answer instanceof Promise
          ? answer.catch((error: unknown) => problemFromError(c, error))
          : answer
      } catch (error) {
        return problemFromError(c, error)
      }
    }
    const handler = (c: Context): Response | Promise<Response> => caught(c)
    for (const key of Object.getOwnPropertySymbols(described))
      Object.defineProperty(handler, key, {
        value: (described as unknown as Record<symbol, unknown>)[key],
      })
    app.on(declared.method.toUpperCase(), declared.path, handler)
    // The alias is registered without a description: the document lists the path once.
    if (declared.trailingSlash) {
      app.on(
        declared.method.toUpperCase(),
        declared.path === '/' ? '/:slash{$}' : `${declared.path}/`,
        caught,
      )
    }
  }
  return app
}

/** A JSON success response. */
export function json(
  description: string,
  schema: z.ZodType | JsonSchemaObject,
): ResponseDeclaration {
  return { description, content: { 'application/json': schema } }
}

/** A response without a body (204, a redirect). */
export function empty(description: string): ResponseDeclaration {
  return { description }
}

const CODES = Object.keys(SIMULATOR_ERROR_CODES) as [SimulatorErrorCode, ...SimulatorErrorCode[]]

/** The problem+json body of every simulator error: `type` is one of the closed list (errors.ts). */
export const ProblemBodySchema = ProblemSchema.extend({
  type: z.enum(CODES).describe('An error code of the closed list; the status goes with it.'),
}).meta({
  id: 'Problem',
  description:
    'An error (RFC 9457 application/problem+json). `type` is one of the simulator’s error codes, each with a fixed status.',
})

/** The error responses of a route, by the codes it can answer (codes sharing a status share one). */
export function problems(...codes: SimulatorErrorCode[]): Record<number, ResponseDeclaration> {
  const byStatus = new Map<number, SimulatorErrorCode[]>()
  for (const code of codes) {
    const status = SIMULATOR_ERROR_CODES[code]
    byStatus.set(status, [...(byStatus.get(status) ?? []), code])
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      status,
      {
        description: `Problem: ${list.join(' or ')}`,
        content: { 'application/problem+json': ProblemBodySchema },
      },
    ]),
  )
}

/**
 * A route that reads a body can also answer the body limits' problems (http/body-limits.ts):
 * `payload_too_large` (413) and `body_too_deep` (422), documented here once for every such route.
 */
function withBodyProblems(responses: ResponseDeclarations, hasBody: boolean): ResponseDeclarations {
  if (!hasBody) return responses
  const merged: Partial<Record<number | 'default', ResponseDeclaration>> = { ...responses }
  for (const code of ['payload_too_large', 'body_too_deep'] as const) {
    const status = SIMULATOR_ERROR_CODES[code]
    const declared = merged[status]
    if (declared === undefined) merged[status] = problems(code)[status]
    else if (declared.description.startsWith('Problem: ') && !declared.description.includes(code))
      merged[status] = { ...declared, description: `${declared.description} or ${code}` }
  }
  return merged
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const

/**
 * The answer when nothing matched: 405 with `Allow` when the path exists with other methods, else
 * 404 (both problem+json). `hint` may add a sentence to the 404's detail (where to look instead).
 * Reads `app.routes` on the first miss, when every route is registered.
 */
export function unmatchedRoute(
  app: HonoApp,
  hint?: (path: string) => string | undefined,
): NotFoundHandler {
  let router: TrieRouter<string> | undefined
  return (c) => {
    if (!router) {
      router = new TrieRouter<string>()
      for (const r of app.routes) if (r.method !== 'ALL') router.add(r.method, r.path, r.method)
    }
    const path = c.req.path
    const allowed = METHODS.filter((m) => router?.match(m, path)[0].length)
    const method = c.req.method
    if (allowed.length > 0 && !allowed.includes(method as (typeof METHODS)[number])) {
      const allow = [...allowed, ...(allowed.includes('GET') ? ['HEAD'] : [])].join(', ')
      // Set on the context (not on the response after): a HEAD answer is rebuilt from its headers.
      c.header('allow', allow)
      return problem(
        c,
        'method_not_allowed',
        `${method} is not allowed on ${path}; allowed: ${allow}`,
      )
    }
    const more = hint?.(path)
    return problem(c, 'not_found', `no route for ${method} ${path}${more ? `; ${more}` : ''}`)
  }
}
