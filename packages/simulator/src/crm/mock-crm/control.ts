import { CrmIntegrationSettingsSchema, type CrmIntegrationSettings } from '@ccai-sim/schemas'
import type { Context, Hono } from 'hono'
import { z } from 'zod'
import {
  empty,
  json,
  problems,
  route,
  routesApp,
  type DeclaredRoute,
} from '../../http/declare-routes.js'
import { problem } from '../../http/problem.js'
import { FaultRuleSchema, type FaultController } from './faults.js'
import type { MockCrmStore } from './store.js'

const ResetRequestSchema = z
  .object({
    /** Also remove every fault rule. Default false: faults are configuration, state is data. */
    faults: z.boolean().optional(),
  })
  .meta({ id: 'MockCrmResetRequest' })

const FaultRuleInputSchema = FaultRuleSchema.meta({ id: 'FaultRuleInput' })

/** A rule as listed: the rule with its defaults, its id, and how many requests it saw and fired on. */
const FaultRuleStateSchema = z
  .looseObject({
    id: z.string(),
    kind: z.enum(['latency', 'status', 'missing-id', 'malformed-json', 'connection-reset']),
    route: z.string(),
    probability: z.number(),
    seed: z.int(),
    times: z.int().optional(),
    seen: z.int(),
    fired: z.int(),
  })
  .meta({ id: 'FaultRuleState' })

const fields = z.record(z.string(), z.unknown())

/** `MockCrmStore.snapshot()`: everything the mock CRM holds, attachments without their bytes. */
const MockCrmSnapshotSchema = z
  .object({
    accounts: z.array(
      z.object({
        id: z.string(),
        number: z.int(),
        fields,
        createdAt: z.string(),
        updatedAt: z.string(),
      }),
    ),
    records: z.array(
      z.object({
        id: z.string(),
        number: z.int(),
        accountId: z.string().nullable(),
        status: z.string(),
        fields,
        createdAt: z.string(),
        updatedAt: z.string(),
      }),
    ),
    comments: z.array(
      z.object({
        id: z.string(),
        number: z.int(),
        recordId: z.string(),
        body: z.string(),
        fields,
        createdAt: z.string(),
      }),
    ),
    attachments: z.array(
      z.looseObject({
        id: z.string(),
        number: z.int(),
        recordId: z.string().nullable(),
        filename: z.string(),
        contentType: z.string(),
      }),
    ),
  })
  .meta({ id: 'MockCrmSnapshot' })

const CrmSettingsSchema = CrmIntegrationSettingsSchema.meta({ id: 'CrmIntegrationSettings' })

const FaultIdParamsSchema = z.object({ id: z.string().describe('A fault rule id (`fault-1`).') })

/** `GET /settings?secrets=include`: the mock CRM's credentials in clear (default: masked). */
const SettingsQuerySchema = z.object({ secrets: z.enum(['include']).optional() })

/**
 * The mock CRM's control routes, relative to `/_sim/crm` (faults: the item 3; reference
 * §5.4, §8): `GET /settings` (the integration settings the sessions use), `GET|POST|DELETE /faults`,
 * `DELETE /faults/:id`, `GET /state`, `POST /reset`. The control API mounts them with its own.
 */
export function mockCrmControlDeclarations(options: {
  readonly store: MockCrmStore
  readonly faults: FaultController
  /**
   * The settings sessions use (default: the mock CRM's, with the simulator's URL), secrets masked
   * unless `includeSecrets` (`?secrets=include`).
   */
  readonly settings?:
    ((options: { readonly includeSecrets: boolean }) => CrmIntegrationSettings) | undefined
  /**
   * Refuses a request for the settings (they hold credentials) that may not see them: beyond
   * loopback, one without the mock CRM's credentials. Undefined lets it through.
   */
  readonly guard?: ((c: Context) => Response | undefined) | undefined
}): DeclaredRoute[] {
  const { store, faults, settings, guard } = options
  const routes: DeclaredRoute[] = [
    route({
      method: 'get',
      path: '/faults',
      summary: "The mock CRM's fault rules, with how often each was seen and fired",
      responses: {
        200: json('Fault rules, in the order they are tried', z.array(FaultRuleStateSchema)),
      },
      handler: (c) => c.json(faults.list()),
    }),
    route({
      method: 'post',
      path: '/faults',
      summary: 'Add a fault rule',
      description:
        'Latency, a status (400, 401, 404, 429, 500…), a 2xx without the id, malformed JSON or a connection reset, per route (or `*`), with a probability and a seed.',
      request: { body: FaultRuleInputSchema },
      responses: {
        201: json('The rule, with its id and defaults', FaultRuleStateSchema),
        ...problems('invalid_request'),
      },
      handler: (c, { body }) => c.json(faults.set(body), 201),
    }),
    route({
      method: 'delete',
      path: '/faults',
      summary: 'Remove every fault rule',
      responses: { 204: empty('Removed') },
      handler: (c) => {
        faults.clear()
        return c.body(null, 204)
      },
    }),
    route({
      method: 'delete',
      path: '/faults/:id',
      summary: 'Remove one fault rule',
      request: { params: FaultIdParamsSchema },
      responses: { 204: empty('Removed'), ...problems('not_found') },
      handler: (c) => {
        const id = c.req.param('id') ?? ''
        if (!faults.remove(id))
          return problem(c, 'not_found', `no fault rule ${id} (GET /faults lists them)`)
        return c.body(null, 204)
      },
    }),
    route({
      method: 'get',
      path: '/state',
      summary: "The mock CRM's accounts, records, comments and attachments (without bytes)",
      responses: { 200: json('The mock CRM state', MockCrmSnapshotSchema) },
      handler: (c) => c.json(store.snapshot()),
    }),
    route({
      method: 'post',
      path: '/reset',
      summary: 'Empty the mock CRM',
      description: '`{ "faults": true }` also removes the fault rules.',
      request: { body: ResetRequestSchema, bodyRequired: false },
      responses: { 204: empty('Emptied'), ...problems('invalid_request') },
      handler: async (c, { body }) => {
        store.reset()
        if (body.faults === true) faults.clear()
        await store.flush()
        return c.body(null, 204)
      },
    }),
  ]
  if (settings) {
    // With the defaults, the mock CRM's own settings with this simulator's real URL: a ready-made
    // settings file for `ccai-sim run` and the contract suite.
    routes.unshift(
      route({
        method: 'get',
        path: '/settings',
        summary: 'The integration settings the sessions use',
        description:
          'By default the mock CRM’s, with this server’s URL. Secrets show as `***`, as in the journal; `?secrets=include` shows the mock CRM’s own credentials (a ready-made settings file for `ccai-sim run` and `ccai-contract crm`), never those of configured settings. Beyond loopback (`host`), the mock CRM’s own credentials are required (401 without them).',
        request: { query: SettingsQuerySchema },
        responses: {
          200: json('crm.settings', CrmSettingsSchema),
          ...problems('unauthorized', 'invalid_request'),
        },
        handler: (c, { query }) =>
          guard?.(c) ?? c.json(settings({ includeSecrets: query.secrets === 'include' })),
      }),
    )
  }
  return routes
}

/**
 * The mock CRM's control surface alone, as a Hono app (the simulator mounts the same declarations
 * inside its control API at `/_sim/crm`).
 */
export function mockCrmControlRoutes(options: {
  readonly store: MockCrmStore
  readonly faults: FaultController
}): Hono {
  return routesApp('mock CRM control', mockCrmControlDeclarations(options))
}
