import type { Hono } from 'hono'
import { generateSpecs } from 'hono-openapi'
import { json, route, routesApp } from './declare-routes.js'

/** The groups of operations, one per surface (the `tag` each surface's `routesApp` gives). */
const TAGS = [
  {
    name: 'control',
    description:
      'The control API: scenarios, sessions, clock, journal, reset, and the mock CRM’s settings, faults and state.',
  },
  {
    name: 'mock CRM',
    description:
      'The mock CRM at /crm: the generic dialect (/crm/api/…), the EspoCRM dialect (/crm/espo/api/v1/…), OAuth 2.0 tokens and the pages the lookup URLs open.',
  },
  { name: 'mail', description: 'The built-in mailbox (with email.smtp "builtin").' },
  { name: 'storage', description: 'A read-only view of the external storage files.' },
  {
    name: 'agent page',
    description: 'The agent adapter page, embedded as an iframe in a CRM page.',
  },
  { name: 'streams', description: 'Every emission, live: Server-Sent Events and WebSocket.' },
  { name: 'console', description: 'The simulator’s front page.' },
  {
    name: 'apps API',
    description:
      'The CCAI Platform Apps API at /apps/api/v1 (HTTP Basic: company key / API token): create outbound calls and SMS, read them, customer flags. Errors are the platform’s `{ "message": … }` JSON.',
  },
  {
    name: 'documents',
    description: 'These descriptions: OpenAPI (HTTP) and AsyncAPI (everything emitted).',
  },
]

const documents = new WeakMap<Hono, Promise<Record<string, unknown>>>()

/**
 * The OpenAPI 3.1 document of an app, generated from its declared routes (`declare-routes.ts`):
 * every route the app really has, with its request and response schemas. Made once per app.
 */
export function openApiDocument(app: Hono): Promise<Record<string, unknown>> {
  let document = documents.get(app)
  if (!document) {
    document = generateSpecs(app, {
      documentation: {
        info: {
          title: 'ccai-sim simulator',
          version: '0.1.0',
          description:
            'HTTP API of the CCAI Platform simulator, generated from its route declarations. Every 4xx/5xx answer is application/problem+json (RFC 9457) whose `type` is one of a closed list of codes (components.schemas.Problem), except where an emulated wire format decides: the mock CRM’s OAuth token errors (RFC 6749 §5.2) and its injected faults, and the Apps API’s `{ "message": … }` errors. Unknown routes answer 404, known paths with another method 405 with Allow.',
          license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
        },
        tags: TAGS,
        // Nothing here is protected except the mock CRM API, whose scheme is configuration.
        security: [],
      },
      // `/openapi.json` and `/asyncapi.json` are routes, not static files.
      excludeStaticFile: false,
    })
    documents.set(app, document)
  }
  return document
}

/** `GET /openapi.json` and `GET /asyncapi.json`; `app` is the app the first describes. */
export function documentRoutes(app: () => Hono): Hono {
  return routesApp('documents', [
    route({
      method: 'get',
      path: '/openapi.json',
      summary: 'This document (OpenAPI 3.1)',
      responses: { 200: json('The OpenAPI document', { type: 'object' }) },
      handler: async (c) => {
        const document = await openApiDocument(app())
        // Where it was fetched from is where the routes are.
        return c.json({ ...document, servers: [{ url: new URL(c.req.url).origin }] })
      },
    }),
    route({
      method: 'get',
      path: '/asyncapi.json',
      summary: 'Everything the simulator emits (AsyncAPI 3.0)',
      responses: { 200: json('The AsyncAPI document', { type: 'object' }) },
      // Loaded on the first request: the document walks the whole contract catalog, which `serve`
      // then builds on first use instead of at start-up.
      handler: async (c) => c.json((await import('./asyncapi.js')).asyncApiDocument()),
    }),
  ])
}
